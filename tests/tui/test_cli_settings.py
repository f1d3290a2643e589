"""`nhandao settings`: what the office's documents print, shown, set and put back, as a user
types it; a value refused is named in Vietnamese and nothing is written."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def district(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The store of Hội Chữ thập đỏ huyện Tân Biên (705), just made."""
    path = tmp_path / "store"
    assert run(capsys, "init", "--unit", "705", "--store", str(path))[0] == 0
    return path


def settings_of(path: Path) -> dict:
    return json.loads((path / "office.json").read_text(encoding="utf-8"))["settings"]


def test_show_names_every_setting_with_its_value_or_the_default_the_documents_use(
    district: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "settings", "--store", str(district))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Thông tin trên văn bản của Huyện Tân Biên, Tỉnh Tây Ninh"

    def after(label: str) -> list[str]:
        at = lines.index(label)
        return lines[at + 1 : at + 6]

    assert after("Địa danh ghi ngày (place):")[0] == "  (mặc định: Tân Biên)"
    assert after("Thẩm quyền ký (signing_for):")[0] == "  (mặc định: TM. BAN THƯỜNG VỤ)"
    assert after("Chức vụ người ký (signer_title):")[0] == "  (mặc định: CHỦ TỊCH)"
    assert after("Họ tên người ký (signer_name):")[0] == (
        "  (mặc định: để trống, văn bản in dòng chấm ……………………………)"
    )
    assert after("Nơi nhận (recipients):") == [
        "  (mặc định, 4 dòng:)",
        "    Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo)",
        "    Huyện ủy huyện Tân Biên",
        "    UBND huyện Tân Biên",
        "    Hội Chữ thập đỏ các xã, phường, thị trấn",
    ]
    basis = after("Căn cứ (basis):")
    assert basis[0] == "  (mặc định, 2 dòng:)"
    assert basis[1].startswith("    Hướng dẫn số 250/TUHCTĐ ngày 06/9/2018")
    assert basis[2] == "    Kế hoạch số 61/KH-CTĐ ngày 16/10/2018 của Hội Chữ thập đỏ tỉnh Tây Ninh"
    assert after("Tên Hội cấp tỉnh (organisation):")[0] == "  HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH"
    assert after("Giai đoạn từ năm (period_from):")[0] == "  2008"
    assert after("Giai đoạn đến năm (period_to):")[0] == "  2018"
    assert after("Hạn báo cáo (report_deadline):")[0] == "  09/11/2018"


def test_a_signer_set_in_words_is_stored_nfc_and_signs_the_summary_workbook(
    district: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    code, out, _ = run(
        capsys, "settings", "set", "signer-name", *decomposed.split(), "--store", str(district)
    )
    assert code == 0
    assert out.splitlines() == ["Đã lưu «Họ tên người ký» (signer_name):", "  Nguyễn Văn An"]
    assert settings_of(district)["signer_name"] == "Nguyễn Văn An"
    _, shown, _ = run(capsys, "settings", "--store", str(district))
    assert "Họ tên người ký (signer_name):\n  Nguyễn Văn An\n" in shown

    workbook = tmp_path / "tong-hop.xlsx"
    assert run(capsys, "summary", "--xlsx", str(workbook), "--store", str(district))[0] == 0
    sheet = load_workbook(workbook).worksheets[0]
    cells = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert cells[-1] == "Nguyễn Văn An"  # under «CHỦ TỊCH», after the room for the signature


def test_recipients_one_value_a_line_lose_their_dashes_and_go_back_to_the_default(
    district: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "settings", "set", "--store", str(district), "recipients", "--",
        "- Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo);", "- Huyện ủy;", "Lưu: VT.",
    )  # fmt: skip
    assert code == 0
    assert settings_of(district)["recipients"] == [
        "Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo)", "Huyện ủy", "Lưu: VT",
    ]  # fmt: skip
    assert out.splitlines()[1:] == [
        "  Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo)", "  Huyện ủy", "  Lưu: VT",
    ]  # fmt: skip

    code, out, _ = run(capsys, "settings", "unset", "recipients", "--store", str(district))
    assert code == 0
    assert settings_of(district)["recipients"] is None
    assert out.splitlines()[1:3] == [
        "  (mặc định, 4 dòng:)", "    Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo)",
    ]  # fmt: skip


def test_basis_from_a_utf8_file_with_a_byte_order_mark_one_line_each(
    district: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "can-cu.txt"
    file.write_bytes(
        "Kế hoạch số 12/KH-CTĐ ngày 20/10/2018 của Hội Chữ thập đỏ tỉnh Tây Ninh\r\n\r\n"
        "Công văn số 5/CTĐ ngày 01/11/2018\r\n".encode("utf-8-sig")
    )
    code, _, _ = run(
        capsys, "settings", "set", "basis", "--file", str(file), "--store", str(district)
    )
    assert code == 0
    assert settings_of(district)["basis"] == [
        "Kế hoạch số 12/KH-CTĐ ngày 20/10/2018 của Hội Chữ thập đỏ tỉnh Tây Ninh",
        "Công văn số 5/CTĐ ngày 01/11/2018",
    ]


def test_the_period_and_the_deadline_are_stored_as_numbers_and_iso_and_unset_to_a_new_office(
    district: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ("--store", str(district))
    assert run(capsys, "settings", "set", "period_to", "2020", *store)[0] == 0
    assert run(capsys, "settings", "set", "period_from", "2010", *store)[0] == 0
    code, out, _ = run(capsys, "settings", "set", "report_deadline", "5/1/2021", *store)
    assert code == 0
    assert out.splitlines()[1] == "  05/01/2021"
    settings = settings_of(district)
    assert (settings["period_from"], settings["period_to"]) == (2010, 2020)
    assert settings["report_deadline"] == "2021-01-05"

    assert run(capsys, "settings", "unset", "period_from", *store)[0] == 0
    code, out, _ = run(capsys, "settings", "unset", "report_deadline", *store)
    settings = settings_of(district)
    assert settings["period_from"] == 2008
    assert settings["report_deadline"] is None
    assert out.splitlines()[1] == "  (mặc định: 09/11/2020)"  # the plan's day, in the last year


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["set", "nguoi_ky", "A"], 2,
         "Không có mục cài đặt «nguoi_ky». Các mục: organisation, province_name, "
         "plan_reference, place, signing_for, signer_title, signer_name, preparer_name, "
         "recipients, basis, period_from, period_to, report_deadline."),
        (["unset", "signer"], 2, "Không có mục cài đặt «signer»."),
        (["set", "signer_name", "Lê\x1b[2JVăn"], 1,
         "Chưa lưu gì: «Họ tên người ký» có ký tự điều khiển hoặc ký tự ẩn U+001B ở vị trí 3"),
        (["set", "place", "Tân\u202eBiên"], 1,
         "Chưa lưu gì: «Địa danh ghi ngày» có ký tự điều khiển hoặc ký tự ẩn U+202E ở vị trí 4"),
        (["set", "recipients", "Tỉnh ủy", "UBND\x07 tỉnh"], 1,
         "Chưa lưu gì: «Nơi nhận», dòng 2, có ký tự điều khiển hoặc ký tự ẩn U+0007 ở vị trí 5"),
        (["set", "signer_title", "P" * 201], 1,
         "Chưa lưu gì: «Chức vụ người ký» dài 201 ký tự, quá 200 ký tự."),
        (["set", "basis", "Kế hoạch", "x" * 501], 1,
         "Chưa lưu gì: «Căn cứ», dòng 2, dài 501 ký tự, quá 500 ký tự."),
        (["set", "recipients", *[f"Nơi {i}" for i in range(31)]], 1,
         "Chưa lưu gì: «Nơi nhận» có 31 dòng, quá 30 dòng."),
        (["set", "period_from", "20x8"], 1,
         "Chưa lưu gì: «Giai đoạn từ năm» phải là một năm từ 2000 đến 2100, không phải «20x8»."),
        (["set", "period_to", "1999"], 1,
         "Chưa lưu gì: «Giai đoạn đến năm» phải là một năm từ 2000 đến 2100, không phải «1999»."),
        (["set", "period_from", "2019"], 1,
         "Chưa lưu gì: «Giai đoạn từ năm»: giai đoạn phải bắt đầu trước khi kết thúc, năm đầu "
         "2019 đang sau năm cuối 2018."),
        (["set", "period_to", "2007"], 1,
         "Chưa lưu gì: «Giai đoạn đến năm»: giai đoạn phải bắt đầu trước khi kết thúc, năm đầu "
         "2008 đang sau năm cuối 2007."),
        (["set", "report_deadline", "31/02/2018"], 1,
         "Chưa lưu gì: «Hạn báo cáo»: Ngày «31/02/2018» không có trong lịch."),
        (["set", "report_deadline", "hôm nay"], 1,
         "Chưa lưu gì: «Hạn báo cáo»: Không hiểu ngày «hôm nay». Hãy nhập theo dạng "
         "ngày/tháng/năm, ví dụ 06/09/2018."),
        (["set", "report_deadline", "01/01/1999"], 1,
         "Chưa lưu gì: «Hạn báo cáo» phải là một ngày từ 01/01/2000 đến 31/12/2100"),
        (["set", "signer_name"], 2, "Hãy cho giá trị của signer_name sau tên mục"),
        (["set", "signer_name", "--file", "x.txt"], 2, "--file chỉ dùng cho recipients và basis"),
        (["set", "basis", "--file", "khong-co.txt"], 2, "Không có tệp «khong-co.txt»."),
    ],
)  # fmt: skip
def test_a_bad_setting_is_named_in_vietnamese_and_nothing_is_written(
    district: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    before = (district / "office.json").read_bytes()
    got, out, err = run(capsys, "settings", *args, "--store", str(district))
    assert (got, out) == (code, "")
    assert err.startswith(message), err
    assert (district / "office.json").read_bytes() == before


def test_a_list_file_that_is_not_utf8_is_refused(
    district: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "noi-nhan.txt"
    file.write_bytes(unicodedata.normalize("NFD", "Tỉnh ủy").encode("cp1258"))  # Windows ANSI
    before = (district / "office.json").read_bytes()
    code, _, err = run(
        capsys, "settings", "set", "recipients", "--file", str(file), "--store", str(district)
    )
    assert code == 2
    assert "không phải văn bản UTF-8" in err
    assert (district / "office.json").read_bytes() == before


def test_help_lists_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["settings", "set", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "một trong: organisation, province_name, plan_reference, place, signing_for, " in shown
    assert "period_from, period_to, report_deadline" in shown


def test_a_province_office_sees_the_province_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "province")
    assert run(capsys, "init", "--unit", "72", "--store", path)[0] == 0
    assert run(capsys, "settings", "set", "province_name", "Tây  Ninh ", "--store", path)[0] == 0
    _, out, _ = run(capsys, "settings", "--store", path)
    lines = out.splitlines()
    assert lines[lines.index("Tên tỉnh (province_name):") + 1] == "  Tây Ninh"  # spaces tidied
    assert lines[lines.index("Địa danh ghi ngày (place):") + 1] == "  (mặc định: Tây Ninh)"
    at = lines.index("Nơi nhận (recipients):")
    assert lines[at + 1 : at + 4] == [
        "  (mặc định, 11 dòng:)",
        "    Trung ương Hội Chữ thập đỏ Việt Nam",
        "    Tỉnh ủy",
    ]
