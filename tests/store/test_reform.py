"""`nhandao units migrate`: a store of the 2019 units moved to those of 2025, and back.

The store: Tây Ninh's province office with records in
- Phường 1 (25456), which went whole to Phường Tân Ninh (25459-2025);
- Phường 4 (25462), which the conversion table divides between Phường Long An (27694-2025)
  and Phường Tân Ninh: asked about by place (ấp, khu phố);
- Xã Phước Lưu (25726), merged away before 2024: unknown to the table, asked about;
- Huyện Tân Biên (705), a district: its helper goes to the new province;
- a school under Huyện Tân Biên, which gets a successor unit under the new province.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from datetime import date
from pathlib import Path

import orjson
import pytest
from factories import address, aid, helper

from campaign.dates import Period
from campaign.tally import tally
from store import gazetteer, reform
from store.errors import StoreWriteError
from store.index import SummaryIndex
from store.store import Store
from tui.cli import main

PLACES = {"a1": ("25456", "Khu phố 1"), "a2": ("25462", "Khu phố 1"), "a3": ("25462", "khu pho 1"),
          "a4": ("25462", "Khu phố 2"), "a5": ("25462", None), "a6": ("25726", "Ấp Phước Lợi"),
          "a7": ("705-TH1", None)}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digest(folder: Path) -> str:
    """The bytes of every file of a store but its derived index and lock."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "cache" not in path.parts and path.name != "lock":
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


def records(unit_of: dict[str, tuple[str, str | None]]) -> dict:
    addresses = [
        address(key, unit=unit, place=place, kind="collective", people=2 + n)
        for n, (key, (unit, place)) in enumerate(unit_of.items())
    ]
    return {
        "format": "nhandao-records", "version": 1,
        "units": [{"code": "705-TH1", "name": "Trường THPT Tân Biên", "kind": "school",
                   "parent": "705"}],
        "helpers": [helper("h1", unit="25456"), helper("h2", unit="25462", side="outside",
                    kind="organisation"), helper("h3", unit="705", kind="staff")],
        "addresses": addresses,
        "aid": [
            *(aid(f"x{n}", address=a["id"], helper="h1", on="2015-04-01", value=100_000 * n)
              for n, a in enumerate(addresses, start=1)),
            *(aid(f"y{n}", address=a["id"], helper="h2", on="2026-05-01", value=1_000 * n)
              for n, a in enumerate(addresses, start=1)),
            aid("z1", address="a4", helper="h3", on="2024-06-01", value=7),
        ],
        "models": [{"id": "m1", "unit": "25462", "type": "other", "name": "Tủ bánh mì"}],
    }  # fmt: skip


@pytest.fixture
def province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "tay-ninh"
    assert run(capsys, "init", "--unit", "72", "--store", str(path))[0] == 0
    file = tmp_path / "records.json"
    file.write_bytes(orjson.dumps(records(PLACES)))
    code, _out, err = run(capsys, "records", "import", str(file), "--store", str(path))
    assert code == 0, err
    return path


def summary(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> list[dict]:
    code, out, err = run(capsys, "summary", "--json", "--store", str(path), *options)
    assert code == 0, err
    return json.loads(out)


def ask(capsys: pytest.CaptureFixture[str], store: Path, questions: Path) -> tuple[int, str]:
    """`units migrate --to 2025` without answers: the exit code and what it printed."""
    code, out, _err = run(capsys, "units", "migrate", "--to", "2025", "--questions",
                          str(questions), "--store", str(store))  # fmt: skip
    return code, out


def answer(questions: bytes, choose: dict[tuple[str, str], str]) -> bytes:
    """The questions file filled in as an office would: (old unit, place or part) → GSO code."""
    rows = list(csv.reader(io.StringIO(questions.decode("utf-8-sig")), delimiter=";"))
    for row in rows[1:]:
        row[6] = choose.get((row[0], row[3] or row[2]), "")
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


ANSWERS = {
    ("25462", "Khu phố 1"): "27694",
    ("25462", "Khu phố 2"): "25459",
    ("25462", reform.NO_PLACE): "27694",
    ("25462", reform.OTHERS): "25459",
    ("25726", "Ấp Phước Lợi"): "25459",
}


def migrated(province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    questions = tmp_path / "questions.csv"
    assert ask(capsys, province, questions)[0] == 1
    answers = tmp_path / "answers.csv"
    answers.write_bytes(answer(questions.read_bytes(), ANSWERS))
    code, out, err = run(capsys, "units", "migrate", "--to", "2025", "--answers", str(answers),
                         "--yes", "--store", str(province))  # fmt: skip
    assert code == 0, err + out
    return province


def test_the_questions_name_what_the_table_cannot_decide_and_nothing_changes(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = digest(province)
    questions = tmp_path / "q.csv"
    code, out = ask(capsys, province, questions)
    assert code == 1
    text = " ".join(out.split())
    assert "Còn 5 câu hỏi chưa có trả lời" in text and "Chưa có gì thay đổi trong kho" in text
    assert "Huyện Tân Biên → Tỉnh Tây Ninh: cấp huyện không còn: về Tỉnh Hội" in text
    assert "Trường THPT Tân Biên (705-TH1-2025)" in text
    payload = questions.read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(reform.COLUMNS)
    asked = {(r[0], r[2], r[3], r[4]) for r in rows[1:]}
    assert asked == {
        ("25462", reform.PLACE, "Khu phố 1", "2"),  # «khu pho 1» is the same place
        ("25462", reform.PLACE, "Khu phố 2", "1"),
        ("25462", reform.PLACE, reform.NO_PLACE, "1"),
        ("25462", reform.OTHERS, "", "2"),  # a helper and a model
        ("25726", reform.PLACE, "Ấp Phước Lợi", "1"),
    }
    divided = next(r for r in rows if r[0] == "25462")
    assert divided[5] == "27694 Phường Long An; 25459 Phường Tân Ninh"
    unknown = next(r for r in rows if r[0] == "25726")
    assert unknown[5].count(";") == 95  # any of the new province's 96 communes
    assert digest(province) == before


def test_a_migration_keeps_every_table_before_the_reform_and_every_total(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = summary(capsys, province, "--from", "2008", "--to", "2018")
    old_2024 = summary(capsys, province, "--from", "2008", "--to", "2024")
    everything = summary(capsys, province, "--from", "2008", "--to", "2026")
    migrated(province, capsys, tmp_path)
    # The tables of the periods before the reform: by the old districts, as they were.
    assert summary(capsys, province, "--from", "2008", "--to", "2018") == old
    assert summary(capsys, province, "--from", "2008", "--to", "2024") == old_2024
    assert summary(capsys, province, "--unit", "72", "--from", "2008", "--to", "2026") == (
        everything
    )
    # After it: the new province's communes, and the same totals.
    after = summary(capsys, province, "--from", "2008", "--to", "2026")
    assert [row["unit"] for row in after[:-1]] == [
        u["code"] for u in gazetteer.province_units("80-2025")[1:]
    ] + ["705-TH1-2025"]  # the school's successor, under the province
    assert after[-1] == {**everything[-1]}
    # History shown on the current communes: Phường 1 and the answers' share of Phường 4.
    rows = {row["unit"]: row for row in after}
    assert rows["25459-2025"]["3"] == 3  # a1 (Phường 1), a4 (Khu phố 2), a6 (Phước Lưu)
    assert rows["27694-2025"]["3"] == 3  # a2, a3 (Khu phố 1), a5 (no place)
    assert "80-2025" not in rows and rows["705-TH1-2025"]["3"] == 1  # no address of its own
    this_year = summary(capsys, province, "--from", "2026", "--to", "2026")
    assert {r["unit"]: r["8"] for r in this_year if r["8"]} == {
        "25459-2025": 1_000 + 4_000 + 6_000, "27694-2025": 2_000 + 3_000 + 5_000,
        "705-TH1-2025": 7_000, None: 28_000,
    }  # fmt: skip


def test_the_records_keep_their_former_unit_and_the_office_its_own(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    migrated(province, capsys, tmp_path)
    with Store.open(province) as store:
        assert (store.office.unit, store.office.former_unit) == ("80-2025", "72")
        a2 = store.get("address", "a2")
        assert (a2["unit"], a2["former_unit"], a2["owner"]) == ("27694-2025", "25462", "27694-2025")
        # Its aid moved into the new unit's file with it.
        assert store.stored("aid", "x2")["owner"] == "27694-2025"
        assert store.get("helper", "h3")["unit"] == "80-2025"  # a district's: the province
        assert store.get("helper", "h2")["unit"] == "25459-2025"  # by the answer for OTHERS
        assert store.get("model", "m1")["unit"] == "25459-2025"
        school = store.units["705-TH1-2025"]
        assert (school["name"], school["kind"], school["parent"]) == (
            "Trường THPT Tân Biên", "school", "80-2025")  # fmt: skip
        assert "705-TH1" in store.units  # the old unit stays, for the old tables
        # The in-memory tally and the index count alike on both trees.
        index = SummaryIndex.open(province)
        assert index is not None and index.refresh(store.units_on_disk()[0])
        for unit, period in (
            ("72", Period(2008, 2018)),
            ("80-2025", Period(2008, 2026)),
            ("705", Period(2008, 2026)),
            ("27694-2025", Period(2026, 2026)),
        ):
            counted = tally(store.dataset(), unit, period).summary_json()
            table = index.table(store.units, unit, period)
            assert table is not None and table.summary_json() == counted
        index.close()
    code, out, _err = run(capsys, "check", "--store", str(province))
    assert code == 0 and "không có lỗi" in out


def test_the_way_back_restores_every_unit(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    everything = summary(capsys, province, "--from", "2008", "--to", "2026")
    with Store.open(province) as store:
        units = {(k, r["id"]): r["unit"] for k in reform.MOVED_KINDS for r in store.records(k)}
    migrated(province, capsys, tmp_path)
    code, out, err = run(capsys, "units", "migrate", "--to", "2019", "--yes",
                         "--store", str(province))  # fmt: skip
    assert code == 0, err
    assert "Văn phòng nay là Tỉnh Tây Ninh" in out
    with Store.open(province) as store:
        assert (store.office.unit, store.office.former_unit) == ("72", None)
        back = {(k, r["id"]): r["unit"] for k in reform.MOVED_KINDS for r in store.records(k)}
        assert back == units
        assert all(r.get("former_unit") is None for r in store.records("address"))
    assert summary(capsys, province, "--from", "2008", "--to", "2026") == everything
    code, _out, err = run(capsys, "units", "migrate", "--to", "2019", "--yes",
                          "--store", str(province))  # fmt: skip
    assert code == 1 and "chưa chuyển sang danh mục đơn vị năm 2025" in err


def test_wrong_answers_are_named_by_line_and_change_nothing(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    questions = tmp_path / "q.csv"
    ask(capsys, province, questions)
    before = digest(province)
    cases = [
        (answer(questions.read_bytes(), {**ANSWERS, ("25462", "Khu phố 2"): "25480"}),
         "«25480» không phải một đơn vị mà 25462 có thể chuyển về (chọn một trong: 27694, 25459)"),
        (answer(questions.read_bytes(), {**ANSWERS, ("25726", "Ấp Phước Lợi"): "99999"}),
         "không có đơn vị mang mã «99999» trong danh mục năm 2025"),
        ("Mã;Tên\r\n25462;x\r\n".encode(), "Tệp trả lời không có dòng tiêu đề"),
        (b"\xff\xfe garbage", "Tệp trả lời không có dòng tiêu đề"),
    ]  # fmt: skip
    for payload, message in cases:
        answers = tmp_path / "answers.csv"
        answers.write_bytes(payload)
        code, _out, err = run(capsys, "units", "migrate", "--to", "2025", "--answers",
                              str(answers), "--yes", "--store", str(province))  # fmt: skip
        assert code == 1
        assert message in " ".join(err.split()), err
        assert digest(province) == before
    # Answers left out: asked again, still nothing changes.
    answers.write_bytes(answer(questions.read_bytes(), {("25462", "Khu phố 1"): "27694"}))
    code, out, _err = run(capsys, "units", "migrate", "--to", "2025", "--answers", str(answers),
                          "--questions", str(questions), "--yes", "--store", str(province))  # fmt: skip
    assert code == 1 and "Còn 4 câu hỏi" in out
    assert len(questions.read_text(encoding="utf-8-sig").splitlines()) == 1 + 4
    assert digest(province) == before


def test_the_migration_is_one_commit_a_failed_write_changes_nothing(
    province: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(province)
    with Store.open(province) as store:
        answers = {q.key: q.candidates[0] for q in reform.plan(store).questions}
        plan = reform.plan(store, answers)
        assert plan.ready
        real = store.write_office

        def full_disk() -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(store, "write_office", full_disk)
        with pytest.raises(StoreWriteError, match="No space left on device"):
            reform.apply(store, plan)
        assert (store.office.unit, store.office.former_unit) == ("72", None)
        assert "80-2025" not in store.units
        assert store.get("address", "a1")["unit"] == "25456"
        monkeypatch.setattr(store, "write_office", real)
    assert digest(province) == before
    with Store.open(province) as store:
        assert store.office.unit == "72" and store.get("address", "a1")["unit"] == "25456"


def test_offices_that_cannot_migrate_are_told_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    district = tmp_path / "tan-bien"
    run(capsys, "init", "--unit", "705", "--store", str(district))
    code, _out, err = run(capsys, "units", "migrate", "--to", "2025", "--yes",
                          "--store", str(district))  # fmt: skip
    assert code == 1 and "không còn cấp huyện" in err and "Tỉnh Hội chuyển đổi cả tỉnh" in err
    new = tmp_path / "new"
    run(capsys, "init", "--unit", "80", "--units", "2025", "--store", str(new))
    code, _out, err = run(capsys, "units", "migrate", "--to", "2025", "--yes",
                          "--store", str(new))  # fmt: skip
    assert code == 1 and "đã dùng danh mục đơn vị năm 2025" in err


def test_a_commune_office_and_its_province_agree_after_both_migrate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commune = tmp_path / "phuong-1"
    run(capsys, "init", "--unit", "25456", "--store", str(commune))
    mine = {key: place for key, place in PLACES.items() if place[0] == "25456"}
    file = tmp_path / "mine.json"
    payload = records(mine)
    payload.update(units=[], models=[], aid=[a for a in payload["aid"] if a["address"] in mine])
    payload["helpers"] = [h for h in payload["helpers"] if h["unit"] == "25456"]
    payload["aid"] = [{**a, "helper": "h1"} for a in payload["aid"]]
    file.write_bytes(orjson.dumps(payload))
    assert run(capsys, "records", "import", str(file), "--store", str(commune))[0] == 0
    province = tmp_path / "tinh"
    run(capsys, "init", "--unit", "72", "--store", str(province))
    assert run(capsys, "records", "import", str(file), "--store", str(province))[0] == 0
    for store in (commune, province):
        code, out, err = run(capsys, "units", "migrate", "--to", "2025", "--yes",
                             "--store", str(store))  # fmt: skip
        assert code == 0, err + out
    with Store.open(commune) as store:
        assert (store.office.unit, store.office.former_unit) == ("25459-2025", "25456")
    for period in (("2008", "2018"), ("2026", "2026"), ("2008", "2026")):
        options = ("--unit", "25459-2025", "--from", period[0], "--to", period[1])
        assert summary(capsys, commune, *options) == summary(capsys, province, *options)
    # The commune's own default table of the old years is its old one.
    assert summary(capsys, commune, "--from", "2008", "--to", "2018")[0]["unit"] == "25456"


def test_a_write_that_cannot_be_made_is_a_store_error_not_a_crash(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocked = tmp_path / "no-such-folder" / "q.csv"
    code, _out, err = run(capsys, "units", "migrate", "--to", "2025", "--questions",
                          str(blocked), "--store", str(province))  # fmt: skip
    assert code == 1 and "q.csv" in err


def cp1258(text: str) -> bytes:
    """`text` as Excel's «CSV» saves it on a Vietnamese Windows: code page 1258, where a tone
    mark is a combining character after its letter."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:  # a letter with its vowel mark, then the tone mark
            base, *marks = unicodedata.normalize("NFD", char)
            for mark in marks:
                letter = unicodedata.normalize("NFC", base + mark)
                if len(letter) == 1 and letter.encode("cp1258", errors="ignore"):
                    marks.remove(mark)
                    base = letter
                    break
            out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return out


def test_answers_saved_by_excel_in_code_page_1258_are_read(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    questions = tmp_path / "q.csv"
    ask(capsys, province, questions)
    filled = answer(questions.read_bytes(), ANSWERS).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(filled), delimiter=";"))
    text = io.StringIO()
    csv.writer(text).writerows(rows)  # and «,» between fields
    answers = tmp_path / "answers.csv"
    answers.write_bytes(cp1258(text.getvalue()))
    with pytest.raises(UnicodeDecodeError):
        answers.read_bytes().decode("utf-8")
    code, out, err = run(capsys, "units", "migrate", "--to", "2025", "--answers", str(answers),
                         "--yes", "--store", str(province))  # fmt: skip
    assert code == 0, err + out
    with Store.open(province) as store:
        assert store.get("address", "a6")["unit"] == "25459-2025"  # «Ấp Phước Lợi», read back


def test_the_demo_goes_on_to_2026_and_migrates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo"
    code, _out, err = run(capsys, "demo", "--scale", "commune", "--to", "2026", "--no-open",
                          "--store", str(path))  # fmt: skip
    assert code == 0, err
    with Store.open(path) as store:
        days = [aid["on"] for aid in store.records("aid")]
        assert max(days) >= "2026-01-01" and max(days) < date.today().isoformat()
    old = summary(capsys, path, "--from", "2008", "--to", "2018")
    everything = summary(capsys, path, "--from", "2008", "--to", "2026")
    code, out, err = run(capsys, "units", "migrate", "--to", "2025", "--yes", "--store", str(path))
    assert code == 0, err
    assert "Văn phòng nay là Phường Tân Ninh, Tỉnh Tây Ninh" in out  # Phường 1 went whole
    assert summary(capsys, path, "--from", "2008", "--to", "2018") == old
    after = summary(capsys, path, "--from", "2008", "--to", "2026")
    assert after[0]["unit"] == "25459-2025"
    assert {k: v for k, v in after[-1].items()} == everything[-1]


def test_a_migrated_province_is_still_the_province_office(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from offices import make_office

    from sync import keys

    migrated(province, capsys, tmp_path)
    with Store.open(province) as store:
        assert store.is_province_office() and keys.is_province_office(store)
        # It enrols the keys of the new communes, and of the old ones it still keeps records of.
        for unit in ("25459-2025", "25456"):
            with make_office(tmp_path / f"office-{unit}", unit) as office:
                public = keys.office_key(office).public
            assert keys.enrol(store, public, unit).unit == unit
