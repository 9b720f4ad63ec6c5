"""Incident records: schema, store, filters, extraction from reports, importers."""
