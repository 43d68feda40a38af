"""Benchmarks and calibration scripts; `qa bench` runs bench.run from a source checkout."""
