"""The national benchmark still runs at its quick scale, and what it measures is real: the 63
provinces' generated bundles import with exit code 0 and nothing held, the central office's
table and workbook give what the generator says it made, every time and peak is positive and
every ratio is the quotient of the figures beside it (never a timing limit: CI machines are
too noisy for that)."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import openpyxl
from bench_runs import run_quick
from disk import run_cli

from store import gazetteer

LABELS = (
    "(a) read the bundles: unzip, orjson each line (reference)",
    "bundle import of the 63 bundles, new national store",
    "(b) orjson parse of the national store's files (reference)",
    "summary --json, first after the import",
    "summary --json, index fresh",
    "summary --xlsx FILE (the workbook)",
    "summary --json, index made from nothing",
)
COLUMNS = ("3", "4", "5", "6", "7", "8")


def number(text: str) -> float:
    return float(text.replace(",", "").removesuffix("×").strip())


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


def test_the_national_benchmark_imports_what_it_generated_and_counts_it(tmp_path: Path) -> None:
    out = run_quick("national.py", "--dir", str(tmp_path), "--keep", timeout=900)
    marker = json.loads((tmp_path / "national.json").read_text("utf-8"))
    made, columns = marker["totals"], marker["columns"]
    assert made["addresses"] > 1000 and made["aid"] > 10 * 1000
    assert made["aid_excluded"] > 0 and made["aid_deleted"] > 0
    assert columns["3"] > 0 and made["aid_counted"] > 0 and columns["8"] > 0
    assert sorted(marker["bundles"]) == sorted(code for code, _ in gazetteer.provinces())

    # The figures: positive, and each ratio the quotient of its time and its reference's.
    table = {row[0]: row[1:] for row in rows(out, ["what", "against"])}
    assert list(table) == list(LABELS)
    seconds = {label: number(cells[1]) for label, cells in table.items()}
    for label, (against, shown, over, peak, target, verdict) in table.items():
        assert number(shown) > 0 and number(peak) > 0, label
        reference = {"-": label, "(a)": LABELS[0], "(b)": LABELS[2]}[against]
        quotient = seconds[label] / seconds[reference]
        assert math.isclose(number(over), quotient, rel_tol=0.02, abs_tol=0.006), label
        if target == "-":
            assert verdict == "-"
        else:
            assert verdict == ("met" if number(peak) <= 4096 else "MISSED"), label
    assert table[LABELS[1]][0] == "(a)" and table[LABELS[4]][0] == "(b)"

    # What the import took in and what the summary counted, as the benchmark says.
    checks = {row[0]: row[1:] for row in rows(out, ["what", "generated"])}
    assert checks["records new in the store (ledger)"][:2] == [f"{made['records']:,}"] * 2
    assert checks["records held in quarantine (ledger)"][1] == "0"
    assert all(cells[-1] == "yes" for cells in checks.values()), checks

    # And as the kept national store says, to a summary run here, row by row.
    national = tmp_path / "national"
    ledger = json.loads((national / "ledger.json").read_text("utf-8"))
    received = [entry for entry in ledger["received"] if entry["kind"] == "records"]
    assert len(received) == 63
    assert sum(entry["counts"]["new"] for entry in received) == made["records"]
    result = run_cli("summary", "--json", "--store", str(national))
    assert result.returncode == 0, result.stderr
    summary = {row["unit"]: row for row in json.loads(result.stdout)}
    assert [code for code in summary if code is not None] == [c for c, _ in gazetteer.provinces()]
    for code, expected in marker["provinces"].items():
        assert {c: summary[code][c] for c in COLUMNS} == expected, code
    assert {c: summary[None][c] for c in COLUMNS} == columns

    # The workbook's total row, and the excluded aid it reports apart.
    sheet = openpyxl.load_workbook(tmp_path / "national.xlsx", read_only=True).worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))
    total = next(row for row in cells if row[0] == "Tổng cộng")
    assert list(total[2:8]) == [columns[c] for c in COLUMNS]
    note = next(row[0] for row in cells if str(row[0]).startswith("* Không tính vào cột 8"))
    assert f"{made['aid_excluded']:,}".replace(",", ".") + " lần trợ giúp" in note

    # A second run at the same scale makes nothing again.
    first = next((tmp_path / "bundles").glob("nhandao-01-*"))
    written = first.stat().st_mtime_ns
    shutil.rmtree(national)
    again = run_quick("national.py", "--dir", str(tmp_path), "--generate-only")
    assert json.loads(again.strip().splitlines()[-1])["reused"] is True
    assert first.stat().st_mtime_ns == written
