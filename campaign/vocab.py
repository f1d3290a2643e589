"""The closed vocabularies of the campaign: each code with the Vietnamese label users see.

Codes are what the store, the records file and bundles carry; labels are for screens and
documents. Each mapping is ordered as documents list it. To add a value (a new beneficiary
group, say), add it here: validation, screens and tables follow.
"""

from __future__ import annotations

UNIT_KINDS: dict[str, str] = {
    "province": "Tỉnh Hội",
    "district": "Huyện, thành Hội",
    "commune": "Xã, phường, thị trấn",
    "school": "Trường học",
    "affiliated": "Đơn vị trực thuộc",
}
# Since 01/07/2025 the commune level has no towns (thị trấn) but special zones (đặc khu).
COMMUNE_KIND_2025 = "Xã, phường, đặc khu"
# The kind of the root above the provinces (the central office's tree only): never a record's.
TREE_KINDS: dict[str, str] = {"national": "Trung ương Hội", **UNIT_KINDS}
# Grassroots chapters (Hội cơ sở): the units that survey and keep addresses.
GRASSROOTS_KINDS = frozenset({"commune", "school", "affiliated"})

ADDRESS_KINDS: dict[str, str] = {
    "individual": "Cá nhân",
    "collective": "Tập thể",
}

GROUPS: dict[str, str] = {
    "elderly": "Người cao tuổi",
    "disabled": "Người khuyết tật",
    "agent_orange": "Nạn nhân chất độc da cam",
    "poor": "Hộ nghèo",
    "near_poor": "Hộ cận nghèo",
    "policy_family": "Gia đình chính sách",
    "ethnic_minority": "Người dân tộc thiểu số",
    "poor_women": "Phụ nữ nghèo",
    "orphan": "Trẻ em mồ côi",
    "serious_illness": "Người mắc bệnh hiểm nghèo",
    "other": "Đối tượng khác",
}

HELPER_SIDES: dict[str, str] = {
    "red_cross": "Hội Chữ thập đỏ",
    "outside": "Tổ chức, cá nhân khác",
}

HELPER_KINDS: dict[str, str] = {
    "staff": "Cán bộ",
    "member": "Hội viên",
    "volunteer": "Tình nguyện viên",
    "youth": "Thanh thiếu niên Chữ thập đỏ",
    "chapter": "Tổ chức Hội",
    "organisation": "Tổ chức",
    "individual": "Cá nhân",
}
# The awards an office proposes (Kế hoạch 61/KH-CTĐ, II.5 a and c).
AWARDS: dict[str, str] = {
    "central": "Bằng khen của Trung ương Hội",
    "provincial": "Giấy khen của Tỉnh Hội",
}
# Which kinds belong to which side.
KINDS_OF_SIDE: dict[str, frozenset[str]] = {
    "red_cross": frozenset({"staff", "member", "volunteer", "youth", "chapter"}),
    "outside": frozenset({"organisation", "individual"}),
}

# The five kinds of resources the plan says do not count toward the campaign's value.
EXCLUSION_REASONS: dict[str, str] = {
    "emergency": "Hỗ trợ khẩn cấp một lần cho đồng bào bị thiên tai",
    "unaddressed": "Giúp đỡ chưa có địa chỉ cụ thể hoặc không thường xuyên",
    "organisation": "Hỗ trợ cho tổ chức Hội, chi phí hành chính",
    "communication": "Hoạt động tuyên truyền, chiến dịch truyền thông",
    "other_campaign": "Nguồn lực cho cuộc vận động, phong trào khác",
}

REVIEW_OUTCOMES: dict[str, str] = {
    "continue": "Tiếp tục trợ giúp",
    "stop": "Dừng trợ giúp",
    "change": "Thay đổi hình thức trợ giúp",
}

MODEL_TYPES: dict[str, str] = {
    "red_cross_house": "Nhà Chữ thập đỏ, nhà tình thương",
    "charity_kitchen": "Bếp ăn, bữa ăn tình thương",
    "cow_bank": "Ngân hàng bò, nuôi bò sinh sản xoay vòng",
    "relief_warehouse": "Kho hàng cứu trợ khẩn cấp và trợ giúp nhân đạo",
    "rotating_livestock": "Chăn nuôi xoay vòng, gây quỹ",
    "other": "Mô hình khác",
}

# Forms of aid offered as suggestions; the field is free text.
AID_FORMS: tuple[str, ...] = (
    "Tiền mặt",
    "Gạo, nhu yếu phẩm",
    "Nhà tình thương",
    "Bò giống",
    "Học bổng",
    "Thẻ bảo hiểm y tế",
    "Vốn sinh kế",
    "Xe lăn, dụng cụ",
    "Sửa chữa nhà",
    "Thuốc, khám chữa bệnh",
)

# The reason shown for an address that stopped being helped with no reason on record.
NO_STOP_REASON = "chưa ghi lý do"
# Helped the year before and not this year, with no stop recorded: not a stop, shown apart.
NOT_HELPED = "không được trợ giúp trong năm, chưa ghi dừng"
