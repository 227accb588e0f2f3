"""Deterministic demo data: a small district for the demo and tests, a large city for benchmarks."""
