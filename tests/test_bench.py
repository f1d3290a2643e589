"""The store benchmark still runs: its quick size exits 0 and prints the three ways of saving."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_store_save_bench_runs_quickly(tmp_path: Path) -> None:
    # No timing is asserted: CI machines are too noisy for that; the figures go in PERFORMANCE.md.
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "store_save.py"), "--quick", "--dir", str(tmp_path)],
        cwd=ROOT,
        # The table has ×, ≤ and ≥: do not depend on the platform's default encoding.
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    for way in (["ours"], ["(a)", "bare"], ["(b)", "TinyDB"]):
        assert any(row[1 : 1 + len(way)] == way for row in rows if row[:1] == ["aid"]), way
    assert list(tmp_path.iterdir()) == [], "the benchmark leaves its temporary folder behind"
