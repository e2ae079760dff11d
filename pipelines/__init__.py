"""Pipelines: build the database from seed data, import public datasets, compute and export results."""
