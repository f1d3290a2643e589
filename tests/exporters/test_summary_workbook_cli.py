"""`nhandao summary --xlsx FILE [--date dd/mm/yyyy]`: the workbook as a user asks for it."""

from __future__ import annotations

import errno
import json
import os
from datetime import date
from pathlib import Path

import orjson
import pytest
from openpyxl import load_workbook
from summary_books import TOTAL, first_row, hard_case_records, unit_table

from campaign.dates import official_date_line
from exporters.workbook import SHEETS
from tui.cli import main

PERIOD_NOTE = "kèm 6 phụ lục (Theo năm, Đối tượng, Người trợ giúp, Không tính, Khảo sát, Mô hình)"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A province office's store, made and filled through the command line."""
    path = tmp_path / "store"
    assert run(capsys, "init", "--unit", "72", "--store", path)[0] == 0
    records = tmp_path / "records.json"
    records.write_bytes(orjson.dumps(hard_case_records()))
    code, _out, err = run(capsys, "records", "import", records, "--store", path)
    assert code == 0, err
    return path


def json_rows(capsys: pytest.CaptureFixture[str], office: Path, *options: str) -> list[list]:
    code, out, err = run(capsys, "summary", "--json", "--store", office, *options)
    assert code == 0, err
    rows = json.loads(out)
    columns = ("3", "4", "5", "6", "7", "8")
    return [
        *([n, r["name"], *(r[c] for c in columns)] for n, r in enumerate(rows[:-1], start=1)),
        [TOTAL, None, *(rows[-1][c] for c in columns)],
    ]


def test_the_workbook_is_written_where_the_user_said_and_the_message_says_so(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "Bảng tổng hợp 2018.xlsx"
    code, out, err = run(
        capsys, "summary", "--xlsx", target, "--date", "5/11/2018", "--store", office
    )
    assert code == 0, err
    assert out.strip() == (
        f"Đã ghi Bảng tổng hợp của Tỉnh Tây Ninh, giai đoạn 2008-2018, {PERIOD_NOTE} vào tệp "
        f"{target.absolute()}."
    )
    workbook = load_workbook(target)
    assert workbook.sheetnames == list(SHEETS)
    summary = workbook["Bảng tổng hợp"]
    assert summary["D4"].value == "Tây Ninh, ngày 05 tháng 11 năm 2018"
    # The workbook's figures are the ones `nhandao summary` prints.
    assert unit_table(summary) == json_rows(capsys, office)


def test_the_unit_and_the_period_choose_the_table(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "tp.xlsx"
    options = ["--unit", "thanh pho tay ninh", "--from", "2010", "--to", "2012"]
    code, out, err = run(capsys, "summary", "--xlsx", target, "--store", office, *options)
    assert code == 0, err
    assert "Đã ghi Bảng tổng hợp của Thành phố Tây Ninh, giai đoạn 2010-2012" in out
    summary = load_workbook(target)["Bảng tổng hợp"]
    assert unit_table(summary) == json_rows(capsys, office, *options)
    assert str(summary["A6"].value).endswith("GIAI ĐOẠN 2010-2012")
    years = load_workbook(target)["Theo năm"]
    header = first_row(years, "Chỉ tiêu") + 1
    assert [years.cell(header, c).value for c in (2, 3, 4)] == ["2010", "2011", "2012"]


def test_without_a_date_the_workbook_carries_today_s(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "hom-nay.xlsx"
    assert run(capsys, "summary", "--xlsx", target, "--store", office)[0] == 0
    line = load_workbook(target)["Bảng tổng hợp"]["D4"].value
    assert line == official_date_line("Tây Ninh", date.today())


def test_a_file_name_without_extension_gets_xlsx(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "summary", "--xlsx", tmp_path / "bang", "--store", office)
    assert code == 0 and out.strip().endswith(f"{tmp_path / 'bang.xlsx'}.")
    assert load_workbook(tmp_path / "bang.xlsx").sheetnames == list(SHEETS)


def test_with_json_the_table_goes_to_the_output_and_the_message_to_errors(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "bang.xlsx"
    code, out, err = run(capsys, "summary", "--json", "--xlsx", target, "--store", office)
    assert code == 0
    assert json.loads(out)[-1]["name"] == TOTAL
    assert err.startswith("Đã ghi Bảng tổng hợp") and target.exists()


@pytest.mark.parametrize(
    ("options", "status", "says"),
    [
        (["--xlsx", "{out}/bang.xlsx", "--date", "31/02/2018"], 2,
         "Tùy chọn --date: Ngày «31/02/2018» không có trong lịch. Hãy kiểm tra lại ngày và tháng."),
        (["--xlsx", "{out}/bang.xlsx", "--date", "hôm qua"], 2,
         "Tùy chọn --date: Không hiểu ngày «hôm qua». Hãy nhập theo dạng ngày/tháng/năm, "
         "ví dụ 06/09/2018."),
        (["--xlsx", "{out}/bang.xlsx", "--date", "01/06/2005"], 2,
         "Ngày ghi trên bảng (01/06/2005) trước khi giai đoạn 2008-2018 bắt đầu. "
         "Hãy kiểm tra lại --date."),
        (["--date", "05/11/2018"], 2,
         "Tùy chọn --date là ngày ghi trên bảng tổng hợp, chỉ dùng cùng --xlsx TỆP."),
        (["--xlsx", "{out}/bang.xls"], 2,
         "Tệp «{out}/bang.xls» phải có đuôi .xlsx (sổ tính Excel), ví dụ {out}/bang.xlsx."),
        (["--xlsx", "{out}/chưa có/bang.xlsx"], 1,
         "Không có thư mục «{out}/chưa có». Hãy tạo thư mục đó trước, hoặc chọn nơi khác."),
        (["--xlsx", "{out}/thư mục.xlsx"], 1,
         "«{out}/thư mục.xlsx» là một thư mục. Hãy ghi cả tên tệp, ví dụ "
         "{out}/thư mục.xlsx/bang-tong-hop.xlsx."),
        (["--xlsx", "{out}/bang.xlsx", "--unit", "99999"], 2,
         "Không có đơn vị nào mang mã hay tên «99999»."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    status: int,
    says: str,
) -> None:
    out_dir = tmp_path / "ra"
    (out_dir / "thư mục.xlsx").mkdir(parents=True)
    before = sorted(out_dir.rglob("*"))
    filled = [option.format(out=out_dir) for option in options]
    code, out, err = run(capsys, "summary", "--store", office, *filled)
    assert code == status
    assert says.format(out=out_dir) in err and out == ""
    assert sorted(out_dir.rglob("*")) == before


def test_a_failed_write_keeps_the_old_workbook(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    target = tmp_path / "bang.xlsx"
    assert run(capsys, "summary", "--xlsx", target, "--store", office)[0] == 0
    before = target.read_bytes()

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    code, out, err = run(capsys, "summary", "--xlsx", target, "--from", "2010", "--store", office)
    assert code == 1 and out == ""
    assert err.startswith(f"Không ghi được tệp «{target}»")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bang.xlsx", "records.json", "store"]
