"""Importers of public datasets. Each one is extract (I/O) -> transform (pure) -> load (the write path)."""
