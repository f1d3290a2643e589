"""Short Vietnamese labels for narrow table columns (the full ones are in campaign.vocab), and
who wrote a version, as the screens and the command line name it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.store import Store

SIDE_SHORT = {"red_cross": "Hội CTĐ", "outside": "Bên ngoài"}

EXCLUDED_SHORT = {
    "emergency": "Khẩn cấp",
    "unaddressed": "Không địa chỉ",
    "organisation": "Cho tổ chức Hội",
    "communication": "Truyền thông",
    "other_campaign": "Phong trào khác",
}


def writer(store: Store, office_id: object) -> str:
    """Who wrote a version: the unit of the office whose id it carries (an office's id is its
    unit's code and a random suffix), «văn phòng này» for this office."""
    text = str(office_id or "")
    if not text:
        return "?"
    if text == store.office.id:
        return "văn phòng này"
    from store.reform import migrated_to  # loaded by the screens that show versions anyway

    if (listed := migrated_to(text)) is not None:  # the same in every office
        return f"chuyển đổi sang danh mục đơn vị năm {listed}"
    unit = text.rsplit("-", 1)[0]
    return store.units.name(unit) if unit in store.units else text
