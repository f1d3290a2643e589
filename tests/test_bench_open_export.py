"""The open and export benchmark still runs: its quick size exits 0 and prints its rows."""

from __future__ import annotations

from bench_runs import run_quick


def test_open_export_bench_runs_quickly() -> None:
    out = run_quick("open_export.py", timeout=300)
    for row in ("orjson parse of the files (reference)", "Store.open",
                "summary --json, making the index (once)", "summary --json, index fresh",
                "check, the first (every file read, verdicts kept)", "check, verdicts kept",
                "check --full (the store loaded)", "records export", "summary / parse (time)", "check / parse (time)",
                "export / open (peak)", "records file:"):  # fmt: skip
        assert row in out, row
