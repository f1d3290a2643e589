"""The merge benchmark still runs: its quick size exits 0 and prints both ways and the targets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_merge_bench_runs_quickly(tmp_path: Path) -> None:
    # No timing is asserted: the figures go in docs/PERFORMANCE.md.
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "merge.py"), "--quick", "--dir", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert any(row[:2] == ["ours", "import_bundles:"] for row in rows), result.stdout
    assert any(row[:1] == ["reference"] for row in rows)
    assert any(row[:3] == ["peak", "memory", "of"] for row in rows)
    assert "10 commune bundles" in result.stdout
    assert list(tmp_path.iterdir()) == [], "the benchmark leaves its temporary folder behind"
