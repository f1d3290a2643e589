"""Running a benchmark of bench/ at its quick size, as the tests that keep them working do.

No timing is asserted: CI machines are too noisy for that; the figures go in
docs/PERFORMANCE.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_quick(script: str, *args: str, timeout: int = 300) -> str:
    """Run `bench/<script> --quick *args`; it must exit 0. Returns what it printed."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--quick", *args],
        cwd=ROOT,
        # The tables have ×, ≤ and –: do not depend on the platform's default encoding.
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
