"""Valid records to build tests from; each function takes overrides for any field."""

from __future__ import annotations

from datetime import date

from campaign.dataset import Dataset
from campaign.units import UnitTree

# A fixed "today" for everything that validates dates, so tests do not age.
TODAY = date(2026, 11, 29)
PROVINCE = "72"  # Tây Ninh

# A few units of Tây Ninh, for tests of the domain that need no store.
UNITS = UnitTree([
    {"code": "72", "name": "Tỉnh Tây Ninh", "kind": "province", "parent": None},
    {"code": "703", "name": "Thành phố Tây Ninh", "kind": "district", "parent": "72"},
    {"code": "25456", "name": "Phường 1", "kind": "commune", "parent": "703"},
    {"code": "25459", "name": "Phường 3", "kind": "commune", "parent": "703"},
    {"code": "703-TH1", "name": "Trường THPT Tây Ninh", "kind": "school", "parent": "703"},
    {"code": "705", "name": "Huyện Tân Biên", "kind": "district", "parent": "72"},
    {"code": "25486", "name": "Thị trấn Tân Biên", "kind": "commune", "parent": "705"},
])  # fmt: skip


def dataset_of(**lists: list[dict]) -> Dataset:
    """A dataset over UNITS with the given records (addresses=[…], aid=[…], …)."""
    return Dataset(units=UNITS, **lists)


def address(id: str = "a1", unit: str = "25456", **fields: object) -> dict:
    """A valid individual address; override any field."""
    record = {"id": id, "unit": unit, "name": "Nguyễn Văn An", "kind": "individual", "people": 1,
              "place": "Khu phố 1", "groups": ["elderly"], "surveyed_on": "2009-01-10",
              "dossier_on": "2009-02-01", "stopped_on": None, "stop_reason": None}  # fmt: skip
    record.update(fields)
    return record


def helper(
    id: str = "h1",
    unit: str = "25456",
    side: str = "red_cross",
    kind: str = "member",
    **fields: object,
) -> dict:
    record = {"id": id, "unit": unit, "name": "Trần Thị Bình", "side": side, "kind": kind,
              "awarded_before": False}  # fmt: skip
    record.update(fields)
    return record


def aid(
    id: str = "x1",
    address: str = "a1",
    helper: str | None = "h1",
    on: str = "2010-03-01",
    value: int = 500_000,
    **fields: object,
) -> dict:
    record = {"id": id, "address": address, "helper": helper, "on": on, "form": "Tiền mặt",
              "value": value, "excluded": None, "note": None}  # fmt: skip
    record.update(fields)
    return record
