"""What the tests read of a store on disk, and the command line run as its own process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_FILES = ("nhandao.lock", "nhandao.lock.json")


def files_of(path: Path) -> dict[str, str]:
    """The SHA-256 of every file of a store (the lock files, held while it is open, aside)."""
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name not in LOCK_FILES
    }


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """`nhandao ARGS` from the tree, in a process of its own (a second program on a store)."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )  # fmt: skip
