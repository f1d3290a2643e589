"""The workbook benchmark still runs: its quick size exits 0 and prints every way it measures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_workbook_bench_runs_quickly(tmp_path: Path) -> None:
    # No timing is asserted: CI machines are too noisy for that; the figures go in PERFORMANCE.md.
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "workbook.py"), "--quick", "--dir", str(tmp_path)],
        cwd=ROOT,
        # The tables have ×, ≤ and –: do not depend on the platform's default encoding.
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "SQLite's columns 3–8 checked against the tally" in result.stdout
    lines = result.stdout.splitlines()
    for way in ("end to end", "tally", "SQLite keys", "SQLite index", "tally / SQLite index"):
        assert any(line.startswith(way) for line in lines), way
    assert list(tmp_path.iterdir()) == [], "the benchmark leaves its temporary folder behind"
