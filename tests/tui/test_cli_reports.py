"""`nhandao awards` and `nhandao report`, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from docx import Document
from factories import address, aid, helper
from openpyxl import load_workbook

from tui.cli import main

CRITERIA = ("steering", "model", "helped", "reviewed", "guidance")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A province store: Phường 1 with ten surveyed addresses, seven helped; a volunteer attached
    to five of them; an outside donor already awarded; Phường 1's assessment."""
    path = tmp_path / "store"
    assert run(capsys, "init", "--unit", "72", "--store", str(path))[0] == 0
    addresses = [address(f"a{i}", surveyed_on="2017-01-01", dossier_on="2017-02-01")
                 for i in range(10)]  # fmt: skip
    records = {
        "format": "nhandao-records", "version": 1,
        "helpers": [helper("h1", kind="volunteer", name="Lê Thị Mai"),
                    helper("o1", side="outside", kind="organisation", name="Công ty An Bình",
                           awarded_before=True)],
        "addresses": addresses,
        "attachments": [{"id": f"t{i}", "address": f"a{i}", "helper": "h1", "from": "2017-02-01"}
                        for i in range(5)] + [{"id": "t9", "address": "a9", "helper": "o1",
                                               "from": "2018-01-01"}],
        "aid": [aid(f"x{i}", address=f"a{i}", on="2017-05-01") for i in range(7)],
        "reviews": [{"id": f"r{i}-{y}", "address": f"a{i}", "year": y, "on": f"{y}-12-01",
                     "outcome": "continue"} for i in range(10) for y in (2017, 2018)],
        "assessments": [{"unit": "25456", "steering_board": True, "directive": True,
                         "typical_model": True, "followed_guidance": True},
                        {"unit": "703", "steering_board": True, "directive": True,
                         "typical_model": False, "followed_guidance": True}],
    }  # fmt: skip
    file = tmp_path / "records.json"
    file.write_bytes(orjson.dumps(records))
    code, _, err = run(capsys, "records", "import", str(file), "--store", str(path))
    assert code == 0, err
    return str(path)


def test_awards_json_scores_every_child_with_each_criterion(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "awards", "--json", "--store", province)
    assert code == 0
    units = json.loads(out)
    assert all(u["threshold"] == 90 for u in units)
    assert sorted(u["unit"] for u in units) == ["703", "705", "706", "707", "708", "709", "710",
                                                "711", "712"]  # fmt: skip
    for unit in units:
        assert unit["total"] == sum(unit[key] for key in CRITERIA)
    city = units[0]
    # Thành phố Tây Ninh: its own assessment (20 + 0 + 10), 7/10 helped (40), all reviewed (10).
    assert {k: city[k] for k in ("unit", "name", *CRITERIA, "total", "rank")} == {
        "unit": "703", "name": "Thành phố Tây Ninh", "steering": 20, "model": 0, "helped": 40,
        "reviewed": 10, "guidance": 10, "total": 80, "rank": 1,
    }  # fmt: skip
    assert (city["eligible"], city["proposed"]) == ("provincial", None)
    assert city["surveyed_addresses"] == 10 and city["surveyed_addresses_helped"] == 7
    assert city["active_address_years"] == 20 and city["reviewed_address_years"] == 20
    other = next(u for u in units if u["unit"] == "705")
    assert other["total"] == 0 and len(other["notes"]) == 3
    code, out, _ = run(capsys, "awards", "--json", "--people", "--store", province)
    people = json.loads(out)
    assert (people["unit"], people["from"], people["to"]) == ("72", 2008, 2018)
    assert [(p["name"], p["addresses"]) for p in people["individuals"]] == [("Lê Thị Mai", 5)]
    assert [(p["name"], p["awarded_before"], p["eligible"]) for p in people["donors"]] == [
        ("Công ty An Bình", True, "central")
    ]
    assert people["proposed"] == []


def test_the_threshold_and_the_unit_change_the_proposals(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "awards", "--json", "--unit", "703", "--threshold", "100",
                       "--store", province)  # fmt: skip
    assert code == 0
    units = json.loads(out)
    phuong = units[0]
    assert (phuong["unit"], phuong["total"], phuong["eligible"]) == ("25456", 100, "central")
    assert len(units) == 10
    code, out, _ = run(capsys, "awards", "--json", "--unit", "703", "--from", "2018", "--to",
                       "2018", "--store", province)  # fmt: skip
    phuong = json.loads(out)[0]
    # In 2018 alone nobody was helped: 0 of 10 surveyed addresses → 10 points.
    assert (phuong["helped"], phuong["surveyed_addresses_helped"]) == (10, 0)


def test_the_table_shows_the_breakdown_and_the_threshold_as_a_setting(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "awards", "--unit", "703", "--store", province)
    assert code == 0
    assert "ĐỦ ĐIỀU KIỆN XÉT BẰNG KHEN CỦA TRUNG ƯƠNG HỘI (từ 90 điểm)" in out
    assert "ĐỦ ĐIỀU KIỆN XÉT GIẤY KHEN CỦA TỈNH HỘI (dưới 90 điểm)" in out
    assert "Chưa chọn tập thể, cá nhân nào để đề nghị khen thưởng" in out
    assert (
        "Ngưỡng đề nghị Bằng khen của Trung ương Hội: từ 90 điểm trở lên (cài đặt; Kế hoạch "
        "không quy định ngưỡng; đổi bằng --threshold)." in out
    )
    assert "(100)" in out  # the total's column is whole in 80 columns
    assert "70,0%" in out and "7 / 10" in out and "BCĐ: có" in out
    assert "Lê Thị Mai" in out and "Công ty An Bình" in out
    assert "Chưa có bản đánh giá của đơn vị" in out


def test_awards_writes_the_workbook(
    province: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "khen-thuong.xlsx"
    code, out, err = run(capsys, "awards", "--xlsx", str(target), "--store", province)
    assert code == 0, err
    assert out.strip() == f"Đã ghi bảng chấm điểm và đề nghị khen thưởng vào {target}."
    assert load_workbook(target).sheetnames == [
        "Đề nghị khen thưởng", "Chấm điểm tập thể", "Cá nhân đủ điều kiện", "Nhà tài trợ",
    ]  # fmt: skip
    # --date dates the workbook.
    code, out, err = run(capsys, "awards", "--xlsx", str(target), "--date", "20/11/2018",
                         "--store", province)  # fmt: skip
    assert code == 0, err
    assert load_workbook(target)["Đề nghị khen thưởng"]["D4"].value == (
        "Tây Ninh, ngày 20 tháng 11 năm 2018"
    )
    # With --json the output stays JSON; the message goes to the other stream.
    code, out, err = run(capsys, "awards", "--json", "--xlsx", str(target), "--store", province)
    assert code == 0 and json.loads(out)[0]["threshold"] == 90
    assert "Đã ghi bảng chấm điểm" in err


def test_report_writes_the_docx(
    province: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "bao-cao.docx"
    code, out, err = run(capsys, "report", "--docx", str(target), "--unit", "703", "--date",
                         "5/11/2018", "--store", province)  # fmt: skip
    assert code == 0, err
    assert out.strip() == (
        f"Đã ghi dự thảo báo cáo tổng kết của Hội Chữ thập đỏ thành phố Tây Ninh, giai đoạn "
        f"2008-2018, ngày 05/11/2018, vào {target}. Các đoạn in nghiêng là gợi ý của đề cương: "
        "hãy thay bằng nội dung của đơn vị."
    )
    document = Document(str(target))
    assert "Tây Ninh, ngày 05 tháng 11 năm 2018" in document.tables[0].rows[0].cells[1].text
    assert "+ Tổng số địa chỉ được lập hồ sơ trợ giúp: 10 địa chỉ" in "\n".join(
        p.text for p in document.paragraphs
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("awards", "--threshold", "abc"),
         "Ngưỡng điểm «abc» không hợp lệ: hãy ghi một số nguyên từ 0 đến 100, ví dụ --threshold 90."),
        (("awards", "--threshold", "101"), "Ngưỡng điểm «101» không hợp lệ"),
        (("awards", "--threshold", "-5"), "Ngưỡng điểm «-5» không hợp lệ"),
        (("awards", "--xlsx", "khen-thuong.docx"),
         "Tệp bảng tính «khen-thuong.docx» phải có đuôi .xlsx, ví dụ khen-thuong.xlsx."),
        (("awards", "--unit", "khong co"), "Không có đơn vị nào mang mã hay tên «khong co»"),
        (("report",),
         "Hãy cho biết tệp báo cáo cần ghi, ví dụ: nhandao report --docx bao-cao-tong-ket.docx"),
        (("report", "--docx", "bao-cao.pdf"), "phải có đuôi .docx"),
        (("report", "--docx", "khong-co/bao-cao.docx"), "Không có thư mục «khong-co»."),
        (("report", "--docx", "bao-cao.docx", "--date", "31/02/2018"),
         "Ngày «31/02/2018» không có trong lịch. Hãy kiểm tra lại ngày và tháng."),
        (("report", "--docx", "bao-cao.docx", "--date", "hôm qua"),
         "Không hiểu ngày «hôm qua»."),
        (("report", "--docx", "bao-cao.docx", "--from", "2019", "--to", "2018"),
         "Năm bắt đầu (2019) sau năm kết thúc (2018)."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(
    province: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, *args, "--store", province)
    assert code == 2 and out == ""
    assert message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_office_chooses_its_proposals_and_they_are_records(
    province: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "awards", "--propose", "703", "--propose", "h1", "--store",
                         province)  # fmt: skip
    assert code == 0, err
    # Without --award, what the figures reach: 80 points is below 90; five addresses is enough.
    assert out.splitlines() == [
        "Đã chọn Thành phố Tây Ninh: Đề nghị Tỉnh Hội tặng Giấy khen.",
        "Đã chọn «Lê Thị Mai»: Đề nghị Trung ương Hội tặng Bằng khen.",
    ]
    code, out, err = run(capsys, "awards", "--propose", "o1", "--award", "giay-khen", "--store",
                         province)  # fmt: skip
    assert out.strip() == "Đã chọn «Công ty An Bình»: Đề nghị Tỉnh Hội tặng Giấy khen."
    code, out, _ = run(capsys, "awards", "--json", "--store", province)
    assert next(u for u in json.loads(out) if u["unit"] == "703")["proposed"] == "provincial"
    code, out, _ = run(capsys, "awards", "--json", "--people", "--store", province)
    assert [(p["id"], p["proposed"]) for p in json.loads(out)["proposed"]] == [
        ("h1", "central"), ("o1", "provincial"),
    ]  # fmt: skip
    # Proposing again changes the choice; withdrawing takes it back.
    run(capsys, "awards", "--propose", "o1", "--award", "bang-khen", "--store", province)
    code, out, _ = run(capsys, "awards", "--withdraw", "703", "--store", province)
    assert out.strip() == "Đã bỏ chọn Thành phố Tây Ninh: không đề nghị khen thưởng."
    code, out, _ = run(capsys, "records", "export", str(tmp_path / "out.json"), "--store",
                       province)  # fmt: skip
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    live = [p for p in exported["proposals"] if not p.get("deleted")]
    assert sorted((p["helper"], p["award"]) for p in live) == [
        ("h1", "central"), ("o1", "central"),
    ]  # fmt: skip


def test_linking_helpers_makes_one_candidate(
    province: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = {"format": "nhandao-records", "version": 1,
               "helpers": [helper("h2", kind="member", name="Lê T. Mai", unit="25459")],
               "attachments": [{"id": "u1", "address": "a9", "helper": "h2",
                                "from": "2017-02-01"}]}  # fmt: skip
    file = tmp_path / "more.json"
    file.write_bytes(orjson.dumps(records))
    assert run(capsys, "records", "import", str(file), "--store", province)[0] == 0
    code, out, err = run(capsys, "awards", "--link", "h2", "h1", "--store", province)
    assert code == 0, err
    assert out.strip() == (
        "Đã gộp «Lê T. Mai» (Phường 3) với «Lê Thị Mai» (Phường 1): một ứng viên."
    )
    code, out, _ = run(capsys, "awards", "--json", "--people", "--store", province)
    (mai,) = json.loads(out)["individuals"]
    assert (mai["helpers"], mai["units"], mai["addresses"]) == (["h1", "h2"], ["25456", "25459"],
                                                                6)  # fmt: skip
    code, out, _ = run(capsys, "awards", "--unlink", "h2", "--store", province)
    assert out.strip() == "Đã bỏ gộp, tách «Lê T. Mai»: xếp lại theo tên."
    code, out, _ = run(capsys, "awards", "--json", "--people", "--store", province)
    assert [p["helpers"] for p in json.loads(out)["individuals"]] == [["h1"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--propose", "khong-co"), "Không có người trợ giúp nào mang mã «khong-co»."),
        (("--propose", "25456"), "Phường 1 không phải đơn vị trực thuộc Tỉnh Tây Ninh"),
        (("--award", "bang-khen"), "--award đi cùng --propose"),
        (("--withdraw", "h1"), "«Lê Thị Mai» chưa được chọn để đề nghị khen thưởng."),
        (("--link", "h1", "o1"), "không thể là một"),
        (("--link", "h1", "h1"), "Hãy ghi hai mã người trợ giúp khác nhau để gộp."),
        (("--unlink", "h1"), "«Lê Thị Mai» chưa được gộp hay tách."),
        (("--date", "31/02/2018"), "Ngày «31/02/2018» không có trong lịch."),
    ],
)
def test_bad_choices_are_refused_and_change_nothing(
    province: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    def exported(name: str) -> bytes:
        assert run(capsys, "records", "export", str(tmp_path / name), "--store", province)[0] == 0
        return (tmp_path / name).read_bytes()

    before = exported("before.json")
    code, _, err = run(capsys, "awards", *args, "--store", province)
    assert code == 2 and message in err, err
    assert exported("after.json") == before
