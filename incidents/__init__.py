"""Incident records: schema, store, filters, review, corroboration, aggregation, export, seed."""
