"""The merge benchmark still runs: its quick size exits 0 and prints both ways and the targets."""

from __future__ import annotations

from pathlib import Path

from bench_runs import run_quick


def test_merge_bench_runs_quickly(tmp_path: Path) -> None:
    out = run_quick("merge.py", "--dir", str(tmp_path), timeout=300)
    rows = [line.split() for line in out.splitlines()]
    assert any(row[:2] == ["ours", "import_bundles:"] for row in rows), out
    assert any(row[:1] == ["reference"] for row in rows)
    assert any(row[:3] == ["peak", "memory", "of"] for row in rows)
    assert "10 commune bundles" in out
    assert list(tmp_path.iterdir()) == [], "the benchmark leaves its temporary folder behind"
