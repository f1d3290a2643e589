"""What the summary workbook tests share: the stores they read, and how to read a sheet back.

The demo store (district scale: Thành phố Tây Ninh, about 2,400 addresses and 24,000 aid
records) is written once per session and kept open read-only; a province-level table of it
has one busy row (Thành phố Tây Ninh) and eight empty ones. The province-scale demo, as big as
a real province, is written only for the tests that print it. The hard cases are a hand-made
records file for a province office: every rule of docs/RECORDS.md that can change a figure,
text that looks like a formula, and text typed in decomposed Unicode.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import orjson
from factories import address, aid, helper
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from campaign.tally import Tally, tally
from exporters.workbook import build_summary_workbook
from store.demo import write_demo
from store.records_file import import_records
from store.store import Store

ON = date(2018, 11, 5)  # the date every test workbook carries
# "Today" for the stores made here, as tests/conftest.py fixes it (not imported: another
# folder's conftest.py may be the one `import conftest` finds).
TODAY = date(2026, 11, 29)
TOTAL = "Tổng cộng"
FORMULA_LIKE = ("=1+1", "+84 912 345 678", "-", "@SUM(A1)")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def demo_store() -> Store:
    """The district-scale demo store (seed 1), open for the whole session: read it, never write."""
    return _demo("district")


def province_demo_store() -> Store:
    """The province-scale demo store (seed 1: about 21,000 addresses and 200,000 aid records, and
    the models of every district), open for the whole session: read it, never write."""
    return _demo("province")


@cache
def _demo(scale: str) -> Store:
    folder = Path(tempfile.mkdtemp(prefix=f"nhandao-summary-demo-{scale}-"))
    store = write_demo(folder / "store", 1, scale)

    def remove() -> None:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return store


# A school directly under the province whose name looks like a formula; a commune-level unit
# name typed in decomposed Unicode; addresses in two districts, in a school, on a district and
# on the province itself.
SCHOOL = "72-TH1"
HARD_UNITS = [
    {"code": SCHOOL, "name": "=1+1", "kind": "school", "parent": "72"},
    {"code": "703-DV1", "name": nfd("Trạm Y tế Hiệp Ninh"), "kind": "affiliated", "parent": "703"},
]


def hard_case_records() -> dict:
    """A records file of a province office with a figure for every rule worth a test."""
    people = nfd("Nguyễn Thị Ánh Tuyết")
    return {
        "format": "nhandao-records",
        "version": 1,
        "units": HARD_UNITS,
        "helpers": [
            helper("rc", side="red_cross", kind="volunteer"),
            helper("out", side="outside", kind="organisation"),
            helper("gone", side="red_cross", kind="staff", deleted=True),
            helper("tb", unit="25456", side="outside", kind="individual"),
            helper("sc", unit=SCHOOL, side="red_cross", kind="youth"),
        ],
        "addresses": [
            # Phường 1 (Thành phố Tây Ninh): a Red Cross address and an outside one.
            address("p1", name=people, groups=["elderly", "poor"], surveyed_on="2007-06-01"),
            address("p2", kind="collective", people=12, groups=[], dossier_on="2015-03-01"),
            # Helped only from a deleted helper and with no helper: column 5.
            address("p3", groups=["agent_orange"]),
            # A dossier after the period, aid after the period only: counted in no column.
            address("p4", surveyed_on="2019-01-02", dossier_on="2019-02-01"),
            # A deleted address with aid: counted nowhere.
            address("p5", deleted=True),
            # Stopped in 2012 with a reason that looks like a formula.
            address("p6", stopped_on="2012-06-30", stop_reason="=cmd|' /C calc'!A0"),
            # Xã Tân Bình (Thành phố Tây Ninh): helped in 2001, long before the period, then
            # again in 2010 and 2011: resumed in 2010, not new.
            address("p7", unit="25474", surveyed_on="2000-06-01", dossier_on="2000-07-01"),
            # Xã Thạnh Tân (Thành phố Tây Ninh), no dossier but helped.
            address("t1", unit="25471", dossier_on=None, groups=["disabled", "other"]),
            # Xã Tân Bình of Huyện Tân Biên (705), namesake of a commune of the city.
            address("b1", unit="25495", kind="collective", people=3, groups=["ethnic_minority"]),
            # The district itself and the province itself keep an address each.
            address("d1", unit="703", groups=["policy_family"]),
            address("v1", unit="72", groups=["poor_women"]),
            # The school under the province and the affiliated unit under the city.
            address("s1", unit=SCHOOL, groups=["orphan"]),
            address("y1", unit="703-DV1", groups=["serious_illness", "near_poor"]),
        ],
        "aid": [
            aid("x1", "p1", "rc", on="2008-01-01", value=1_500_000),
            aid("x2", "p1", "out", on="2018-12-31", value=2_000_000),
            aid("x3", "p1", "rc", on="2007-12-31", value=999),  # before the period
            aid("x4", "p2", "out", on="2016-05-05", value=3_000_000),
            aid("x5", "p2", "tb", on="2017-05-05", value=0),
            aid("x6", "p3", "gone", on="2011-01-01", value=700_000),
            aid("x7", "p3", None, on="2013-01-01", value=300_000),
            aid("x8", "p4", "rc", on="2019-03-01", value=5_000_000),  # after the period
            aid("x9", "p5", "rc", on="2012-01-01", value=4_000_000),  # deleted address
            aid("x10", "p1", "rc", on="2012-02-02", value=8_000_000, deleted=True),
            aid("x11", "p6", "rc", on="2010-04-04", value=600_000),
            aid("x12", "p6", "rc", on="2011-04-04", value=600_000),
            aid("x13", "t1", "out", on="2014-09-09", value=250_000),
            aid("x14", "b1", "rc", on="2018-01-15", value=10_000_000_000),
            aid("x15", "d1", "out", on="2009-09-09", value=123_456),
            aid("x16", "v1", "rc", on="2010-10-10", value=1_000_000),
            aid("x17", "s1", "sc", on="2015-06-06", value=450_000),
            aid("x18", "y1", None, on="2016-07-07", value=800_000),
            aid("x19", "p7", "rc", on="2001-05-05", value=100_000),
            aid("x20", "p7", "rc", on="2010-05-05", value=100_000),
            aid("x21", "p7", "rc", on="2011-05-05", value=100_000),
            # Excluded aid: one of each reason, one after the period, one deleted.
            aid("e1", "p1", "rc", on="2010-01-01", value=100_000, excluded="emergency"),
            aid("e2", "p2", "out", on="2011-01-01", value=200_000, excluded="unaddressed"),
            aid("e3", "b1", "rc", on="2012-01-01", value=300_000, excluded="organisation"),
            aid("e4", "d1", "out", on="2013-01-01", value=400_000, excluded="communication"),
            aid("e5", "v1", "rc", on="2014-01-01", value=500_000, excluded="other_campaign"),
            aid("e6", "p1", "rc", on="2019-01-01", value=600_000, excluded="emergency"),
            aid("e7", "p1", "rc", on="2015-01-01", value=700_000, excluded="emergency", deleted=True),
        ],
        "models": [
            {"id": "m1", "unit": "25456", "type": "cow_bank", "name": FORMULA_LIKE[0],
             "objective": FORMULA_LIKE[1], "method": FORMULA_LIKE[2], "results": FORMULA_LIKE[3],
             "effect": nfd("Hộ nghèo thoát nghèo bền vững.\nLan tỏa sang xã bên."),
             "started_on": "2009-03-02"},
            {"id": "m2", "unit": "72", "type": "relief_warehouse", "name": "Kho hàng cứu trợ",
             "objective": None, "method": None, "results": None, "effect": None,
             "started_on": None},
            {"id": "m3", "unit": "25495", "type": "charity_kitchen", "name": "Bếp ăn tình thương",
             "objective": "Bữa ăn miễn phí", "method": None, "results": None, "effect": None,
             "started_on": "2012-12-12"},
            {"id": "m4", "unit": "25456", "type": "other", "name": "Đã xóa", "objective": None,
             "method": None, "results": None, "effect": None, "started_on": None,
             "deleted": True},
        ],
    }  # fmt: skip


def load_hard_cases(store: Store, folder: Path) -> Store:
    """Import the hard cases into a province office's store; returns the store."""
    path = folder / "hard-cases.json"
    path.write_bytes(orjson.dumps(hard_case_records()))
    import_records(store, path)
    return store


def workbook_of(store: Store, unit: str, **settings: object) -> tuple[Tally, Workbook]:
    """The tally of `unit` and its workbook, written to bytes and read back with openpyxl."""
    counted = tally(store.dataset(), unit, store.office.period)
    book = build_summary_workbook(
        counted,
        units=store.units,
        models=store.dataset().models,
        settings={**store.office.settings, **settings},
        on=ON,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return counted, load_workbook(io.BytesIO(buffer.getvalue()))


def first_row(ws: Worksheet, column_a: object) -> int:
    """The first row whose cell A holds `column_a`."""
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == column_a:
            return cell.row
    raise AssertionError(f"{ws.title}: no row with {column_a!r} in column A")


def unit_table(ws: Worksheet) -> list[list[object]]:
    """The rows of a table of units, from STT 1 to «Tổng cộng» (included), as values."""
    start, end = first_row(ws, 1), first_row(ws, TOTAL)
    return [
        [cell.value for cell in row]
        for row in ws.iter_rows(min_row=start, max_row=end, max_col=ws.max_column)
    ]


def expected_unit_rows(counted: Tally, figures) -> list[list[object]]:
    """What `unit_table` should read: number, name and figures of each row, then the totals
    (whose label is merged over the first two columns, so the second reads as empty)."""
    return [
        *([number, row.name, *figures(row)] for number, row in enumerate(counted.rows, 1)),
        [TOTAL, None, *figures(counted.total)],
    ]
