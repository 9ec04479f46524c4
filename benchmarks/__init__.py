"""Benchmarks for vaekit: throughput, overhead, time to a likelihood, lessons, a likelihood table.

Run them all with `python -m benchmarks.run_all` (writes `benchmarks/RESULTS.md`); each part
can also be run alone, e.g. `python -m benchmarks.throughput --tiny`.
"""
