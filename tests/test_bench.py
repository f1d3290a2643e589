"""The store benchmark still runs: its quick size exits 0 and prints the three ways of saving."""

from __future__ import annotations

from pathlib import Path

from bench_runs import run_quick


def test_store_save_bench_runs_quickly(tmp_path: Path) -> None:
    out = run_quick("store_save.py", "--dir", str(tmp_path), timeout=120)
    rows = [line.split() for line in out.splitlines()]
    for way in (["ours"], ["(a)", "bare"], ["(b)", "TinyDB"]):
        assert any(row[1 : 1 + len(way)] == way for row in rows if row[:1] == ["aid"]), way
    assert list(tmp_path.iterdir()) == [], "the benchmark leaves its temporary folder behind"
