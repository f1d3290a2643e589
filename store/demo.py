"""Demo data: a realistic synthetic store of Tây Ninh's campaign, 2008–2018, from a seed.

The same seed and scale always give the same records. Scales:
- commune: Phường 1 of Thành phố Tây Ninh alone, about 2,000 addresses and 20,000 aid records;
- district: Thành phố Tây Ninh's ten communes and a school, about 2,000 addresses in all;
- province: the whole province (95 communes, schools, units under the province), about
  20,000 addresses and 200,000 aid records.

A density other than 1 (for the benchmarks of bench/sizes.py, not offered to users) scales the
addresses of every grassroots unit, and with them their aid and reviews: a province demo of
density 6 is about the size of Hà Nội's store. Density 1 gives the same records as without it.
"""

from __future__ import annotations

import os
import random
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from campaign.records import KIND_ORDER, KINDS, Unit
from campaign.vocab import KINDS_OF_SIDE
from store import gazetteer
from store.errors import StoreError
from store.files import replace
from store.store import Store

SCALES = ("commune", "district", "province")
OFFICE_OF_SCALE = {"commune": "25456", "district": "703", "province": "72"}
# Addresses per grassroots unit, on average, at each scale.
ADDRESSES_PER_UNIT = {"commune": 2000, "district": 210, "province": 210}
FIRST_YEAR, LAST_YEAR = 2008, 2018

# Family names with their rough share in the South (Nguyễn is borne by about a third of people).
_FAMILY = {
    "Nguyễn": 36, "Trần": 11, "Lê": 9, "Phạm": 7, "Huỳnh": 5, "Võ": 4, "Phan": 4, "Trương": 2,
    "Đặng": 2, "Bùi": 2, "Đỗ": 1.5, "Hồ": 1.5, "Ngô": 1.3, "Dương": 1, "Lý": 1, "Hoàng": 1,
    "Vũ": 1, "Đinh": 0.8, "Lâm": 0.8, "Mai": 0.6, "Tạ": 0.4, "Châu": 0.6, "Thái": 0.4, "Lưu": 0.4,
}  # fmt: skip
# Middle names, each with its weight: «Văn» and «Thị» come far ahead of the others.
_MIDDLE_MALE = {"Văn": 50, "Hữu": 6, "Minh": 8, "Thanh": 6, "Đức": 6, "Công": 5, "Quốc": 5,
                "Ngọc": 4, "Hoàng": 4, "Tấn": 4, "Phước": 3}  # fmt: skip
_MIDDLE_FEMALE = {"Thị": 60, "Ngọc": 7, "Thanh": 6, "Kim": 7, "Thu": 5, "Mỹ": 4, "Bích": 3,
                  "Hồng": 3, "Thúy": 3, "Phương": 2}  # fmt: skip
_GIVEN_MALE = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Được",
    "Hải",
    "Hòa",
    "Hùng",
    "Khánh",
    "Lâm",
    "Lộc",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thiện",
    "Toàn",
    "Trí",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Ẩn",
    "Ơn",
)
_GIVEN_FEMALE = (
    "Anh",
    "Ánh",
    "Bé",
    "Cúc",
    "Diệu",
    "Dung",
    "Gấm",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Hương",
    "Lan",
    "Liên",
    "Loan",
    "Mai",
    "Muội",
    "Nga",
    "Ngân",
    "Nhung",
    "Nở",
    "Oanh",
    "Phượng",
    "Sen",
    "Thảo",
    "Thu",
    "Trang",
    "Tuyết",
    "Út",
    "Vân",
    "Xuân",
    "Yến",
    "Ửng",
)
_HAMLET = (
    "Ninh Trung",
    "Ninh Thạnh",
    "Tân Hòa",
    "Thạnh Trung",
    "Bình Hòa",
    "Long Hải",
    "Phước Lợi",
    "An Hòa",
    "Trường Phước",
    "Bàu Sen",
    "Suối Ngô",
    "Cầu Khởi",
    "Lộc Thuận",
    "Hiệp Long",
    "Tân Định",
    "Bến Kéo",
    "Rạch Tre",
    "Xóm Mới",
    "Chòm Dầu",
    "Bà Nhã",
)
_STOP_REASONS = (
    "Đã thoát nghèo",
    "Đối tượng đã qua đời",
    "Chuyển nơi ở khác",
    "Gia đình đã tự lo được cuộc sống",
    "Con cái đã trưởng thành, có việc làm",
)
_COMPANY = (
    "Công ty TNHH Mía đường Tây Ninh",
    "Công ty Cổ phần Cao su Tân Biên",
    "Doanh nghiệp tư nhân Thành Phát",
    "Ngân hàng Nông nghiệp chi nhánh Tây Ninh",
    "Chùa Phước Lâm",
    "Nhà thờ Giáo xứ Tha La",
    "Hội Doanh nhân trẻ tỉnh",
    "Công ty TNHH Thương mại Hòa Bình",
    "Tịnh xá Ngọc Trung",
    "Công ty Điện lực Tây Ninh",
    "Nhóm thiện nguyện Tấm Lòng Vàng",
    "Hội Cựu chiến binh",
)
_LOCAL = frozenset({"Hội Cựu chiến binh"})
# (form, lowest value, highest value, weight): the value is rounded to 10.000 đ.
_FORMS = (("Tiền mặt", 200_000, 2_000_000, 40), ("Gạo, nhu yếu phẩm", 150_000, 600_000, 30),
          ("Học bổng", 500_000, 3_000_000, 8), ("Thẻ bảo hiểm y tế", 500_000, 800_000, 8),
          ("Vốn sinh kế", 2_000_000, 10_000_000, 5),
          ("Thuốc, khám chữa bệnh", 200_000, 1_500_000, 5),
          ("Sửa chữa nhà", 5_000_000, 20_000_000, 2), ("Bò giống", 12_000_000, 18_000_000, 1),
          ("Nhà tình thương", 40_000_000, 80_000_000, 1))  # fmt: skip
_GROUP_WEIGHTS = {"elderly": 35, "poor": 30, "near_poor": 15, "disabled": 15, "agent_orange": 8,
                  "policy_family": 8, "poor_women": 8, "serious_illness": 6, "ethnic_minority": 5,
                  "orphan": 4, "other": 2}  # fmt: skip
_EXCLUDED_NOTES = {
    "emergency": "Hỗ trợ đồng bào bị lũ lụt",
    "unaddressed": "Phát quà không theo danh sách địa chỉ",
    "organisation": "Chi phí hành chính của Hội",
    "communication": "Chiến dịch truyền thông",
    "other_campaign": "Quà Tết vì người nghèo và nạn nhân chất độc da cam",
}
_MODELS = (
    (
        "red_cross_house",
        "Nhà Chữ thập đỏ cho hộ nghèo",
        "Mỗi năm xây hoặc sửa ít nhất một căn nhà cho hộ nghèo không có nhà ở ổn định.",
        "Vận động doanh nghiệp, mạnh thường quân đóng góp; hội viên góp ngày công xây dựng.",
        "Đã xây mới {n} căn, sửa chữa {m} căn nhà.",
        "Các hộ được an cư, yên tâm làm ăn; nhiều nhà hảo tâm đăng ký tiếp tục tham gia.",
    ),
    (
        "charity_kitchen",
        "Bếp ăn tình thương tại bệnh viện",
        "Phục vụ bữa ăn miễn phí cho bệnh nhân nghèo và người nhà.",
        "Tình nguyện viên nấu ăn mỗi sáng thứ Bảy; gạo, thực phẩm do các chùa và tiểu thương góp.",
        "Đã phục vụ hơn {n}.000 suất ăn.",
        "Được người bệnh và gia đình đón nhận, nhân rộng ra hai bệnh viện huyện.",
    ),
    (
        "cow_bank",
        "Ngân hàng bò sinh sản xoay vòng",
        "Giúp hộ nghèo có sinh kế lâu dài từ chăn nuôi bò.",
        "Trao bò cái giống; bê con đầu tiên được chuyển cho hộ nghèo khác trong ấp.",
        "Đã trao {n} con bò, {m} hộ đã thoát nghèo.",
        "Hộ nhận bò chủ động giúp lại hộ khác, tạo tinh thần tương trợ trong cộng đồng.",
    ),
    (
        "relief_warehouse",
        "Kho hàng cứu trợ khẩn cấp",
        "Sẵn sàng hàng cứu trợ khi có thiên tai, hỏa hoạn.",
        "Dự trữ gạo, mì, nước uống, tấm bạt tại trụ sở Hội; kiểm kê mỗi quý.",
        "Đã cứu trợ kịp thời {n} đợt thiên tai, hỏa hoạn.",
        "Người dân tin tưởng, chủ động báo tin khi có hộ gặp nạn.",
    ),
    (
        "rotating_livestock",
        "Chăn nuôi heo xoay vòng gây quỹ",
        "Tạo quỹ thường xuyên để trợ giúp các địa chỉ nhân đạo.",
        "Chi hội nuôi heo, tiền bán heo đưa vào quỹ trợ giúp; con giống giao lại cho chi hội khác.",
        "Quỹ đã có {n} triệu đồng sau mỗi năm.",
        "Hội viên gắn bó hơn với hoạt động của chi hội.",
    ),
)


@dataclass
class DemoData:
    """Everything a demo store holds, in records-file form."""

    office_unit: str
    records: dict[str, list[dict]] = field(default_factory=dict)


class _Maker:
    def __init__(
        self, seed: int, scale: str, density: float = 1.0, last_year: int = LAST_YEAR
    ) -> None:
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}")
        if not density > 0:
            raise ValueError(f"density must be above 0, not {density!r}")
        self.density = density
        # Records go on to the end of `last_year`, or to yesterday within this year.
        self.last_year = last_year
        self.last_day = min(date(last_year, 12, 31), date.today() - timedelta(days=1))
        self.rng = random.Random(f"nhandao-demo-{seed}-{scale}")
        self.scale = scale
        self.tree = {u["code"]: u for u in gazetteer.province_units(gazetteer.DEFAULT_PROVINCE)}
        self.office_unit = OFFICE_OF_SCALE[scale]
        self.records: dict[str, list[dict]] = _empty()

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def person(self) -> str:
        rng = self.rng
        female = rng.random() < 0.55
        middle = _MIDDLE_FEMALE if female else _MIDDLE_MALE
        parts = (
            rng.choices(list(_FAMILY), list(_FAMILY.values()))[0],
            rng.choices(list(middle), list(middle.values()))[0],
            rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE),
        )
        return " ".join(parts)

    # -------------------------------------------------------------- units

    def units(self) -> list[str]:
        """Add the demo's schools and units; return the grassroots units that keep addresses."""
        office = self.office_unit
        if self.scale == "commune":
            return [office]
        districts = [c for c, u in self.tree.items() if u["kind"] == "district"]
        if self.scale == "district":
            districts = [office]
        grassroots: list[str] = []
        for district in districts:
            grassroots += [c for c, u in self.tree.items() if u["parent"] == district]
            short = self.tree[district]["name"].removeprefix("Huyện ").removeprefix("Thành phố ")
            school = {
                "code": f"{district}-TH1",
                "name": f"Trường THPT {short}",
                "kind": "school",
                "parent": district,
            }
            self.records["units"].append(school)
            grassroots.append(school["code"])
        if self.scale == "province":
            for number, name in enumerate(
                ("Bệnh viện Đa khoa tỉnh Tây Ninh", "Trường Cao đẳng Sư phạm Tây Ninh"), start=1
            ):
                unit: Unit = {
                    "code": f"72-DV{number}",
                    "name": name,
                    "kind": "affiliated",
                    "parent": "72",
                }
                self.records["units"].append(unit)
                grassroots.append(unit["code"])
        return grassroots

    # -------------------------------------------------------------- helpers

    def helpers(self, unit: str, name: str) -> dict[str, list[dict]]:
        rng = self.rng
        made: dict[str, list[dict]] = {"red_cross": [], "outside": []}

        def add(side: str, kind: str, helper_name: str) -> None:
            helper = {
                "id": self.uid(),
                "unit": unit,
                "name": helper_name,
                "side": side,
                "kind": kind,
                "awarded_before": side == "outside" and rng.random() < 0.15,
            }
            self.records["helpers"].append(helper)
            made[side].append(helper)

        add("red_cross", "chapter", f"Hội Chữ thập đỏ {name}")
        for kind, low, high in (
            ("staff", 1, 3),
            ("member", 8, 16),
            ("volunteer", 4, 8),
            ("youth", 2, 5),
        ):
            for _ in range(rng.randint(low, high)):
                add("red_cross", kind, self.person())
        for _ in range(rng.randint(2, 5)):
            company = rng.choice(_COMPANY)
            # A commune's own association is named with its commune: associations of two
            # communes are two donors (the awards group donors by name).
            local = name if name.startswith("Phường ") else name[:1].lower() + name[1:]
            add("outside", "organisation", f"{company} {local}" if company in _LOCAL else company)
        for _ in range(rng.randint(3, 8)):
            title = "Ông" if rng.random() < 0.5 else "Bà"
            add("outside", "individual", f"{title} {self.person()}")
        assert all(h["kind"] in KINDS_OF_SIDE[h["side"]] for side in made.values() for h in side)
        return made

    # -------------------------------------------------------------- addresses and what follows

    def address(self, unit: str, is_ward: bool) -> dict:
        rng = self.rng
        surveyed = self.day(date(FIRST_YEAR, 1, 15), date(self.last_year - 1, 10, 31))
        if rng.random() < 0.8:
            kind, people, name = "individual", 1, self.person()
        else:
            kind = "collective"
            if rng.random() < 0.9:
                people = rng.randint(2, 7)
                head = self.person()
                name = f"Hộ {'bà' if ' Thị ' in head else 'ông'} {head}"
            else:
                people = rng.randint(12, 60)
                name = f"Nhóm trẻ mồ côi ấp {rng.choice(_HAMLET)}"
        weights = list(_GROUP_WEIGHTS.values())
        groups = sorted(
            set(rng.choices(list(_GROUP_WEIGHTS), weights, k=rng.randint(1, 3))),
            key=list(_GROUP_WEIGHTS).index,
        )
        place = f"Khu phố {rng.randint(1, 8)}" if is_ward else f"Ấp {rng.choice(_HAMLET)}"
        dossier = surveyed + timedelta(days=rng.randint(5, 60)) if rng.random() < 0.93 else None
        stopped = reason = None
        if dossier and rng.random() < 0.22:
            stopped = self.day(dossier + timedelta(days=300), self.last_day)
            reason = rng.choice(_STOP_REASONS) if rng.random() < 0.85 else None
        return {
            "id": self.uid(),
            "unit": unit,
            "name": name,
            "kind": kind,
            "people": people,
            "place": place,
            "groups": groups,
            "surveyed_on": surveyed.isoformat(),
            "dossier_on": dossier.isoformat() if dossier else None,
            "stopped_on": stopped.isoformat() if stopped else None,
            "stop_reason": reason,
        }

    def follow(self, address: dict, local: dict[str, list[dict]], wider: list[dict]) -> None:
        """Attachments, aid and yearly reviews of one address with a dossier."""
        rng, records = self.rng, self.records
        start = date.fromisoformat(address["dossier_on"])
        end = date.fromisoformat(address["stopped_on"]) if address["stopped_on"] else self.last_day
        side = "red_cross" if rng.random() < 0.6 else "outside"
        helpers = [rng.choice(local[side])]
        if rng.random() < 0.35:
            helpers.append(rng.choice(local["red_cross" if side == "outside" else "outside"]))
        if wider and rng.random() < 0.05:
            helpers.append(rng.choice(wider))
        for helper in helpers:
            records["attachments"].append(
                {
                    "id": self.uid(),
                    "address": address["id"],
                    "helper": helper["id"],
                    "from": start.isoformat(),
                    "until": address["stopped_on"],
                    "stop_reason": address["stop_reason"],
                }
            )
        forms = [f[0] for f in _FORMS]
        weights = [f[3] for f in _FORMS]
        bounds = {f[0]: (f[1], f[2]) for f in _FORMS}
        gap_years = {y for y in range(start.year, end.year + 1) if rng.random() < 0.12}
        for year in range(start.year, end.year + 1):
            first = max(start, date(year, 1, 1))
            last = min(end, date(year, 12, 31))
            if year in gap_years or first > last:
                continue
            for _ in range(rng.choice((1, 1, 2, 2, 2, 2, 3, 3))):
                form = rng.choices(forms, weights)[0]
                low, high = bounds[form]
                value = rng.randint(low // 10_000, high // 10_000) * 10_000
                helper = rng.choice(helpers)["id"] if rng.random() > 0.01 else None
                excluded = None
                note = None
                if rng.random() < 0.03:
                    excluded = rng.choice(list(_EXCLUDED_NOTES))
                    note = _EXCLUDED_NOTES[excluded]
                records["aid"].append(
                    {
                        "id": self.uid(),
                        "address": address["id"],
                        "helper": helper,
                        "on": self.day(first, last).isoformat(),
                        "form": form,
                        "value": value,
                        "excluded": excluded,
                        "note": note,
                    }
                )
            if rng.random() < 0.96 and date(year, 11, 15) <= self.last_day:  # a review is due
                stopping = address["stopped_on"] and end.year == year
                review_day = self.day(date(year, 11, 15), min(date(year, 12, 31), self.last_day))
                if stopping:
                    review_day = end
                records["reviews"].append(
                    {
                        "id": self.uid(),
                        "address": address["id"],
                        "year": year,
                        "on": review_day.isoformat(),
                        "outcome": "stop"
                        if stopping
                        else ("change" if rng.random() < 0.08 else "continue"),
                    }
                )

    def models_and_assessments(self, units: list[str]) -> None:
        rng, records = self.rng, self.records
        for unit in units:
            for kind, name, objective, method, results, effect in rng.sample(
                _MODELS, rng.randint(1, 2)
            ):
                records["models"].append(
                    {
                        "id": self.uid(),
                        "unit": unit,
                        "type": kind,
                        "name": name,
                        "objective": objective,
                        "method": method,
                        "results": results.format(n=rng.randint(5, 60), m=rng.randint(2, 20)),
                        "effect": effect,
                        "started_on": self.day(date(2008, 3, 1), date(2014, 12, 31)).isoformat(),
                    }
                )
            records["assessments"].append(
                {
                    "unit": unit,
                    "steering_board": rng.random() < 0.85,
                    "directive": rng.random() < 0.8,
                    "typical_model": rng.random() < 0.6,
                    "followed_guidance": rng.random() < 0.9,
                }
            )

    def _taken(self) -> dict[str, list[dict]]:
        taken, self.records = self.records, _empty()
        return taken

    def batches(self) -> Iterator[dict[str, list[dict]]]:
        """The records in parts, each saved on its own: the units and the office's helpers,
        then each grassroots unit with its helpers and addresses and what follows them, then
        the models and assessments. A part only refers to records of itself or earlier parts."""
        grassroots = self.units()
        added = list(self.records["units"])
        names = {
            **{c: u["name"] for c, u in self.tree.items()},
            **{u["code"]: u["name"] for u in added},
        }
        kinds = {
            **{c: u["kind"] for c, u in self.tree.items()},
            **{u["code"]: u["kind"] for u in added},
        }
        office = self.office_unit
        wider: list[dict] = []
        if office != grassroots[0]:
            wider = [h for side in self.helpers(office, names[office]).values() for h in side]
        yield self._taken()
        # Times 1.0 is exact: density 1 makes the same counts, and the same records.
        per_unit = ADDRESSES_PER_UNIT[self.scale] * self.density
        for unit in grassroots:
            local = self.helpers(unit, names[unit])
            is_ward = names[unit].startswith(("Phường", "Thị trấn"))
            count = (
                round(per_unit)
                if self.scale == "commune"
                else round(per_unit * self.rng.uniform(0.6, 1.4))
            )
            if kinds[unit] != "commune":
                count = max(20, count // 6)
            for _ in range(count):
                address = self.address(unit, is_ward)
                self.records["addresses"].append(address)
                if address["dossier_on"]:
                    self.follow(address, local, wider)
            yield self._taken()
        parents = {u["parent"] for u in added}
        upper = [c for c in self.tree if c == office or self.tree[c]["parent"] == office]
        self.models_and_assessments(
            [
                c
                for c in dict.fromkeys([*upper, *grassroots, *parents])
                if c in names and (self.scale == "province" or c != "72")
            ]
        )
        yield self._taken()


def _empty() -> dict[str, list[dict]]:
    return {name: [] for name in _KIND_OF}


def make_demo(seed: int = 1, scale: str = "province", density: float = 1.0) -> DemoData:
    """The demo records for a seed and scale (deterministic), all in memory at once."""
    maker = _Maker(seed, scale, density)
    data = DemoData(maker.office_unit, _empty())
    for part in maker.batches():
        for name, records in part.items():
            data.records[name].extend(records)
    return data


def write_demo(
    path: Path,
    seed: int = 1,
    scale: str = "province",
    progress: Callable[[str], None] | None = None,
    density: float = 1.0,
    last_year: int = LAST_YEAR,
) -> Store:
    """Write a demo store at `path` (replacing an earlier demo store there) and return it open.

    Refuses to touch a folder that holds a real office's store. The store is made whole in a
    folder beside `path`, then takes its place: killed at any moment, `path` holds the earlier
    demo store, nothing, or the new one, never part of one.
    """
    path = Path(path)
    for leftover in path.parent.glob(f".{path.name}.demo-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # left by a demo that was killed
    if (path / "office.json").exists():
        with Store.open(path) as existing:
            if not existing.office.demo:
                raise StoreError(
                    f"Thư mục {path} đang chứa kho dữ liệu thật của văn phòng "
                    f"{existing.units.name(existing.office.unit)}; không ghi dữ liệu thử vào đó. "
                    "Hãy chọn thư mục khác bằng --store."
                )
    elif path.exists() and any(path.iterdir()):
        raise StoreError(f"Thư mục {path} đã có tệp khác; hãy chọn một thư mục trống bằng --store.")
    say = progress or (lambda _message: None)
    maker = _Maker(seed, scale, density, last_year)
    staging = path.with_name(f".{path.name}.demo-{os.getpid()}")
    try:
        with Store.create(staging, maker.office_unit, demo=True) as store:
            say("Đang tạo và ghi dữ liệu thử…")
            # Part by part, so that memory holds the store and one part, not all the records
            # twice.
            for part in maker.batches():
                store.save_many(
                    (_KIND_OF[name], record) for name, records in part.items() for record in records
                )
        if path.exists():
            earlier = path.with_name(f".{path.name}.demo-{os.getpid()}-earlier")
            replace(path, earlier)
            replace(staging, path)
            shutil.rmtree(earlier, ignore_errors=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Store.open(path)


# The collections of the records file, with the kind of their records.
_KIND_OF = {KINDS[kind].collection: kind for kind in KIND_ORDER}
