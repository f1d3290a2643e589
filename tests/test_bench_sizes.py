"""The benchmark at several sizes still runs, and its tables say what its figures are: every
time and peak positive, every ratio the quotient of the figures beside it (never a timing
limit: CI machines are too noisy for that)."""

from __future__ import annotations

import math
import re
from pathlib import Path

from bench_runs import run_quick

LABELS = (
    "orjson parse of the files (reference)",
    "Store.open",
    "summary --json, making the index (once)",
    "summary --json, index fresh",
    "check, the first (every file read, verdicts kept)",
    "check, verdicts kept",
    "check --full (the store loaded)",
    "records export FILE",
)


def number(text: str) -> float:
    return float(text.replace(",", "").removesuffix("×").removesuffix(" MB").strip())


def rows(out: str, first: list[str]) -> list[list[str]]:
    """The rows of the text table whose heading starts with the cells `first` (columns
    apart by 2+ spaces), up to the blank line after it."""
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if re.split(r"\s{2,}", line)[:2] == first)
    found = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        found.append(re.split(r"\s{2,}", line.strip()))
    return found


def test_the_quarter_size_table_holds_and_a_second_run_reuses_its_store(tmp_path: Path) -> None:
    out = run_quick("sizes.py", "--dir", str(tmp_path), timeout=600)
    assert "¼× the province: 4,976 addresses, 48,484 aid" in out
    table = {row[0]: row[1:] for row in rows(out, ["what", "seconds"])}
    assert list(table) == list(LABELS)
    parse_seconds = number(table[LABELS[0]][0])
    open_peak = number(table["Store.open"][2])
    for label, (seconds, over_parse, peak, over_open) in table.items():
        assert number(seconds) > 0 and number(peak) > 0, label
        assert math.isclose(
            number(over_parse), number(seconds) / parse_seconds, rel_tol=0.02, abs_tol=0.006
        ), label
        assert math.isclose(
            number(over_open), number(peak) / open_peak, rel_tol=0.01, abs_tol=0.006
        )
    assert table[LABELS[0]][1] == "1.00×" and table["Store.open"][3] == "1.00×"

    # The growth table repeats each figure; the targets are the quotients, judged at ¼ only
    # where a target holds at every size (the export's peak against the open's).
    growth = {row[0]: row[1:] for row in rows(out, ["what", "¼×: s"])}
    for label, (seconds, peak) in growth.items():
        assert math.isclose(number(seconds), number(table[label][0]), abs_tol=0.006), label
        assert math.isclose(number(peak), number(table[label][2]), abs_tol=0.51), label
    targets = {row[1]: row[2:] for row in rows(out, ["size", "figure"])}
    summary = number(table["summary --json, index fresh"][0]) / parse_seconds
    assert math.isclose(number(targets["summary / parse (time)"][0]), summary, rel_tol=0.02)
    assert targets["summary / parse (time)"][2] == "-"  # its target is set at province scale
    export, verdict = targets["export / open (peak)"][0], targets["export / open (peak)"][2]
    assert verdict == ("met" if number(export) <= 1.2 else "MISSED")
    highest = max(number(peak) for _s, _r, peak, _o in table.values())
    assert math.isclose(number(targets["highest peak of any command"][0]), highest, abs_tol=0.51)

    office = next(tmp_path.glob("province-seed1-x0.25")) / "office.json"
    written = office.stat().st_mtime_ns
    again = run_quick("sizes.py", "--dir", str(tmp_path), timeout=600)
    assert "¼× the province: 4,976 addresses" in again
    assert office.stat().st_mtime_ns == written  # the store was not written again
