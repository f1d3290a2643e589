"""The merge benchmark still runs at its quick size: ours, the floor (a plain complete import)
and the bare reference are measured, and the floor merges as many records as ours."""

from __future__ import annotations

import re
from pathlib import Path

from bench_runs import run_quick


def test_merge_bench_runs_quickly_and_the_floor_merges_what_ours_merges(tmp_path: Path) -> None:
    out = run_quick("merge.py", "--dir", str(tmp_path), timeout=300)
    merged = re.search(r"Merged: ([\d,]+) records by ours, ([\d,]+) by the floor", out)
    assert merged is not None, out
    ours, floor = (int(count.replace(",", "")) for count in merged.groups())
    records = re.search(r"commune bundles, ([\d,]+) records", out)
    assert records is not None, out
    assert ours == floor == int(records.group(1).replace(",", ""))
    ways = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert {"ours", "floor", "reference"} <= ways
    assert re.search(r"ours / floor\s+[\d.]+×\s+≤ 1\.5×", out), out
    assert list(tmp_path.iterdir()) == [], "the benchmark leaves its temporary folder behind"
