"""Assessments on what the store reads: gaps against targets, the 30% question, Euro VI, headline figures, country
profiles, matching support to gaps, and the derived tables computed once per data version (`derived`)."""
