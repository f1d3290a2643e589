"""Hand-filled returns travel like any record: taken in at the district, sent up in its bundle,
counted in the province's table, and replaced there when the district takes a corrected one."""

from __future__ import annotations

from pathlib import Path

from factories import TODAY
from offices import make_office

from campaign.dates import Period
from campaign.tally import tally
from exporters.returns import return_id
from store.store import Store
from sync import keys, send
from sync.receive import import_bundle


def a_return(unit: str, dossiers: int, red_cross: int) -> dict:
    return {"id": return_id(unit, Period()), "unit": unit, "year_from": 2008, "year_to": 2018,
            "dossiers": dossiers, "red_cross": red_cross, "outside": 1,
            "helped": red_cross + 1, "people": red_cross + 3, "value": 1_000_000,
            "source": "phuong-1.xlsx", "sha256": "ab" * 32, "accepted_by": "703-test",
            "accepted_on": TODAY.isoformat(), "problems": None}  # fmt: skip


def test_a_return_taken_at_the_district_is_counted_at_the_province(tmp_path: Path) -> None:
    with (
        make_office(tmp_path / "tinh", "72") as province,
        make_office(tmp_path / "thanh-pho", "703", province) as district,
    ):
        keys.enrol(province, keys.office_key(district).public, "703")
        district.save_many([("return", a_return("25456", 10, 4)),
                            ("return", a_return("25459", 7, 2))])  # fmt: skip
        for changed in (None, a_return("25456", 12, 5)):
            if changed is not None:
                district.save("return", changed)
            sent = send.export_records(district, tmp_path, to="72")
            assert sent is not None
            report = import_bundle(province, sent.path)
            assert report.status == "merged" and report.held == [], report.refusal
        table = tally(province.dataset(), "72")
        city = next(row for row in table.rows if row.unit == "703")
        assert (city.dossiers, city.red_cross, city.outside) == (12 + 7, 5 + 2, 2)
        assert table.returned_rows() == {"703": ["25456", "25459"]}
    # Counted from the derived index (a store opened without its records), the same table.
    with Store.open(tmp_path / "tinh", records=False, today=lambda: TODAY) as province:
        index = province.summary_index()
        assert index is not None
        indexed = index.table(province.units, "72", Period())
        assert indexed is not None and indexed.summary_json() == table.summary_json()
