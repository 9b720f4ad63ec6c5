"""Benchmarks: python -m bench.extraction."""
