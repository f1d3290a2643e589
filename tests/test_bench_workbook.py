"""The workbook benchmark still runs: its quick size exits 0 and prints every way it measures."""

from __future__ import annotations

from pathlib import Path

from bench_runs import run_quick


def test_workbook_bench_runs_quickly(tmp_path: Path) -> None:
    out = run_quick("workbook.py", "--dir", str(tmp_path), timeout=300)
    assert "SQLite's columns 3–8 checked against the tally" in out
    lines = out.splitlines()
    for way in ("end to end", "tally", "SQLite keys", "SQLite index", "tally / SQLite index"):
        assert any(line.startswith(way) for line in lines), way
    assert list(tmp_path.iterdir()) == [], "the benchmark leaves its temporary folder behind"
