"""Short Vietnamese labels for narrow table columns (the full ones are in campaign.vocab)."""

from __future__ import annotations

SIDE_SHORT = {"red_cross": "Hội CTĐ", "outside": "Bên ngoài"}

EXCLUDED_SHORT = {
    "emergency": "Khẩn cấp",
    "unaddressed": "Không địa chỉ",
    "organisation": "Cho tổ chức Hội",
    "communication": "Truyền thông",
    "other_campaign": "Phong trào khác",
}
