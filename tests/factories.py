"""Valid records to build tests from; each function takes overrides for any field."""

from __future__ import annotations

from datetime import date

# A fixed "today" for everything that validates dates, so tests do not age.
TODAY = date(2026, 11, 29)
PROVINCE = "72"  # Tây Ninh


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
