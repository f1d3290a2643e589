"""The old-PC benchmark still runs, and its tables say what it counted: a save fsyncs its unit
file and its folder, an import's figures per bundle are its totals shared out, and a delay
injected into every fsync is really waited (the operation takes at least that long)."""

from __future__ import annotations

import math
import re

from bench_runs import run_quick


def number(text: str) -> float:
    """A figure of the tables: «1,234.5 ms» in seconds, «2.1 s», «12», «3 (9.5)» its first."""
    text = text.replace(",", "").split(" (")[0].strip()
    if text.endswith(" ms"):
        return float(text[:-3]) / 1000
    return float(text.removesuffix(" s"))


def rows(out: str, first: list[str]) -> dict[str, list[str]]:
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if re.split(r"\s{2,}", line)[:2] == first)
    found = {}
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        found[cells[0]] = cells[1:]
    return found


def test_the_old_pc_bench_counts_the_writes_and_waits_the_delays() -> None:
    out = run_quick("oldpc.py", timeout=600)
    assert "importing 10 commune bundles" in out
    counts = rows(out, ["operation", "fsyncs: files"])
    save, imported = counts["save (one aid)"], counts["import"]
    per_bundle = counts["import, per bundle (10)"]
    file_fsyncs, folder_fsyncs, fsynced_mb = (number(x) for x in save[:3])
    assert file_fsyncs >= 1 and folder_fsyncs >= 1  # the temporary file, then its folder
    written_mb = number(save[7])
    assert fsynced_mb > 1 and written_mb >= fsynced_mb - 0.1  # the unit file is written whole
    for total, share in zip(imported, per_bundle, strict=True):
        assert number(total) > 0
        assert math.isclose(number(share), number(total) / 10, rel_tol=0.02, abs_tol=0.06)

    times = rows(out, ["operation", "this VM"])
    fsyncs = {"save (one aid)": file_fsyncs + folder_fsyncs,
              "import": number(imported[0]) + number(imported[1])}  # fmt: skip
    for operation, (vm, *slowed) in times.items():
        assert number(vm) > 0
        plus_8, plus_15, with_transfer = (number(x) for x in slowed)
        # Each fsync sleeps its delay: the whole takes at least the delays, whatever the machine.
        assert plus_8 >= fsyncs[operation] * 0.008
        assert plus_15 >= fsyncs[operation] * 0.015
        assert with_transfer >= fsyncs[operation] * 0.015
    injected = rows(out, ["operation", "fsync on this VM"])
    save_injected = number(injected["save (one aid)"][2])
    assert math.isclose(save_injected, 0.015 * 2 + fsynced_mb / 60, rel_tol=0.02)
