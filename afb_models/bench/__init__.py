"""Benchmark regression: reference runs with stored results, drift reports, and
performance ratios against PyBaMM.

>>> from afb_models import bench
>>> cases = bench.load_cases("benchmarks")          # benchmarks/cases/*.toml
>>> report = bench.check(cases, "benchmarks")       # re-run, compare to references
>>> report.ok
>>> print(report.text())      # worst cycle per quantity, reasons, fingerprint changes
>>> bench.update(cases, "benchmarks", reason="new SEI law")   # regenerate them

``afb bench check|update|perf`` on the command line.
"""

from .regression import (
    BenchError,
    Case,
    DriftReport,
    case_fingerprint,
    check,
    load_cases,
    run_case,
    update,
)

__all__ = [
    "BenchError",
    "Case",
    "DriftReport",
    "case_fingerprint",
    "check",
    "load_cases",
    "run_case",
    "update",
]
