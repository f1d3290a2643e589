"""The interface benchmark still runs: its quick size exits 0 and prints its four rows."""

from __future__ import annotations

from bench_runs import run_quick


def test_interface_bench_runs_quickly() -> None:
    out = run_quick("tui.py", timeout=300)
    for row in ("start to the home screen (ours)", "import textual + load the store (reference)",
                "keystroke, search over 2,000 addresses", "substring scan of the names",
                "keystroke p99:", "keystroke worst:"):  # fmt: skip
        assert row in out, row
