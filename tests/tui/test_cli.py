"""The `nhandao` command line, as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from factories import address, aid, helper

from store import records_file
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A province store holding two addresses of Phường 1 and their aid."""
    path = tmp_path / "store"
    assert run(capsys, "init", "--unit", "72", "--store", str(path))[0] == 0
    records = tmp_path / "records.json"
    records.write_bytes(orjson.dumps({
        "format": "nhandao-records", "version": 1,
        "helpers": [helper(), helper("h2", side="outside", kind="organisation")],
        "addresses": [address(), address("a2", kind="collective", people=4, dossier_on="2012-01-01")],
        "aid": [aid(), aid("x2", address="a2", helper="h2", on="2013-05-05", value=2_000_000),
                aid("x3", address="a2", helper="h2", on="2019-05-05", value=7),
                aid("x4", excluded="emergency", value=300_000)],
    }))  # fmt: skip
    code, out, err = run(capsys, "records", "import", str(records), "--store", str(path))
    assert code == 0, err
    assert "Đã đọc 8 bản ghi" in out and "8 bản ghi mới hoặc thay đổi đã được lưu" in out
    return str(path)


def test_init_makes_a_store_and_refuses_to_make_it_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "s")
    code, out, _ = run(capsys, "init", "--unit", "705", "--store", path)
    assert code == 0 and "Đã tạo kho dữ liệu cho Huyện Tân Biên, Tỉnh Tây Ninh" in out
    code, _, err = run(capsys, "init", "--unit", "705", "--store", path)
    assert code == 1 and "không tạo đè" in err


def test_the_store_can_come_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHANDAO_STORE", str(tmp_path / "env-store"))
    assert run(capsys, "init", "--unit", "72")[0] == 0
    assert (tmp_path / "env-store" / "office.json").exists()


def test_summary_json_prints_rows_then_totals(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "summary", "--json", "--store", province)
    assert code == 0
    rows = json.loads(out)
    assert [r["unit"] for r in rows] == [
        "703",
        "705",
        "706",
        "707",
        "708",
        "709",
        "710",
        "711",
        "712",
        None,
    ]
    assert rows[0] == {"unit": "703", "name": "Thành phố Tây Ninh", "3": 2, "4": 1, "5": 1, "6": 2, "7": 5,
                       "8": 2_500_000}  # fmt: skip
    assert rows[-1] == {
        "unit": None,
        "name": "Tổng cộng",
        "3": 2,
        "4": 1,
        "5": 1,
        "6": 2,
        "7": 5,
        "8": 2_500_000,
    }


def test_summary_for_a_district_and_another_period(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "summary", "--json", "--unit", "703", "--from", "2019", "--to", "2019",
                       "--store", province)  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["unit"] == "25456" and rows[0]["8"] == 7 and rows[0]["3"] == 2


def test_a_unit_can_be_named_without_accents(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "summary", "--json", "--unit", "thanh pho tay ninh", "--store", province
    )
    assert code == 0 and json.loads(out)[0]["name"] == "Phường 1"
    code, _, err = run(capsys, "summary", "--unit", "hoa thanh", "--store", province)
    assert code == 2 and "Có 3 đơn vị khớp với «hoa thanh»" in err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from", "2019", "--to", "2010"], "Năm bắt đầu (2019) sau năm kết thúc (2010)"),
        (["--from", "1990"], "Năm 1990 nằm ngoài khoảng"),
        (["--unit", "99999"], "Không có đơn vị nào mang mã hay tên «99999»"),
    ],
)
def test_bad_summary_options_are_explained(
    province: str, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, _, err = run(capsys, "summary", *args, "--store", province)
    assert code == 2 and says in err


def test_the_printed_table_shows_the_figures_and_what_was_left_out(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "summary", "--store", province)
    assert code == 0
    assert "BẢNG TỔNG HỢP KẾT QUẢ 10 NĂM" in out and "GIAI ĐOẠN 2008-2018" in out
    assert "2.500.000" in out
    assert "Không tính vào giá trị cuộc vận động: 1 lần trợ giúp, 300.000 đ" in out


def test_a_bad_records_file_is_refused_with_every_problem(
    province: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(
        orjson.dumps(
            {
                "format": "nhandao-records",
                "version": 1,
                "addresses": [address("b1", people=0), address("b2", unit="nowhere")],
            }
        )
    )
    code, _, err = run(capsys, "records", "import", str(bad), "--store", province)
    assert code == 1
    assert "Có 2 lỗi, chưa lưu gì vào kho:" in err
    assert "- Địa chỉ thứ 1 «Nguyễn Văn An» (mã b1): «Số người» phải từ 1 trở lên" in err
    assert "- Địa chỉ thứ 2 «Nguyễn Văn An» (mã b2): «Đơn vị» «nowhere» không có" in err


def test_export_writes_the_records_file(
    province: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "out.json"
    code, out, _ = run(capsys, "records", "export", str(out_file), "--store", province)
    assert code == 0 and "Đã ghi" in out
    assert len(orjson.loads(out_file.read_bytes())["aid"]) == 4


def test_an_export_that_cannot_be_written_says_why_and_keeps_the_earlier_file(
    province: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = run(capsys, "records", "export", str(tmp_path / "none" / "x.json"),
                       "--store", province)  # fmt: skip
    assert code == 2 and f"Không có thư mục «{tmp_path / 'none'}»" in err
    code, _, err = run(capsys, "records", "export", str(tmp_path), "--store", province)
    assert code == 2 and "là một thư mục" in err
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"earlier")

    def full_disk(path: Path, pieces: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(records_file, "write_atomic", full_disk)
    code, _, err = run(capsys, "records", "export", str(kept), "--store", province)
    assert code == 1 and f"Không ghi được tệp «{kept}» (No space left on device)" in err
    assert kept.read_bytes() == b"earlier"


def test_check_passes_on_a_good_store_and_reports_a_restored_file(
    province: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "--store", province)
    assert code == 0 and "không có lỗi" in out
    (Path(province) / "units" / "25456.json").write_bytes(b"garbage")
    code, out, err = run(capsys, "check", "--store", province)
    # The file came from the import in one write; its backup is the copy made then.
    assert code == 0 and "không có lỗi" in out
    assert "Tệp units/25456.json (dữ liệu của Phường 1) không đọc được" in err
    assert "Đã khôi phục từ bản sao lưu" in err


def test_commands_on_a_missing_store_say_how_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "summary", "--store", str(tmp_path / "none"))
    assert code == 1 and "nhandao init --unit" in err and "nhandao demo" in err


def test_units_lists_codes_and_finds_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "units", "--search", "tan bien", "--store", str(tmp_path / "none"))
    assert code == 0
    assert "705" in out and "Huyện Tân Biên" in out and "25486" in out


def test_demo_without_opening_writes_a_store_the_summary_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "demo")
    code, _, err = run(capsys, "demo", "--scale", "commune", "--no-open", "--store", path)
    assert code == 0 and "2.000 địa chỉ" in err
    code, out, _ = run(capsys, "summary", "--json", "--store", path)
    rows = json.loads(out)
    assert rows[-1]["unit"] is None and rows[-1]["3"] > 1000


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("init", "units", "demo", "summary", "records", "check"):
        assert command in out


@pytest.mark.parametrize(
    "command",
    [[], ["summary"], ["awards"], ["records", "import"], ["bundle", "export"], ["keys", "enrol"],
     ["conflicts", "keep"], ["settings", "set"]],
)  # fmt: skip
def test_help_is_in_vietnamese(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Cách dùng: nhandao{''.join(' ' + c for c in command)}")
    assert "tuỳ chọn:" in out and "hiện hướng dẫn này rồi thoát" in out
    for english in ("usage:", "options:", "show this help", "the store folder", "default:"):
        assert english not in out, english


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["init"], "nhandao init: lỗi: còn thiếu: --unit"),
        (["demo", "--scale", "tinh"], "nhandao demo: lỗi: --scale: không có lựa chọn 'tinh'"),
        (["summary", "--from", "hai nghìn"], "--from: giá trị 'hai nghìn' không hợp lệ"),
        (["summary", "--nope"], "nhandao: lỗi: không hiểu: --nope"),
    ],
)
def test_a_command_typed_wrong_is_told_in_vietnamese(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert says in err and "Cách dùng: nhandao" in err


def test_output_piped_on_a_vietnamese_windows_code_page_is_utf8(province: str) -> None:
    # Piped to a file on a Windows PC, Python's streams take the ANSI code page, cp1258,
    # which cannot encode «Ả» or «ệ»: the command must still print, in UTF-8.
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "cp1258", "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())",
         "summary", "--store", province],
        capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert "BẢNG TỔNG HỢP KẾT QUẢ 10 NĂM" in done.stdout.decode("utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())",
         "summary", "--unit", "nowhere", "--store", province],
        capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Không có đơn vị nào mang mã hay tên «nowhere»" in done.stderr.decode("utf-8")


def test_streams_that_are_utf8_already_are_left_alone() -> None:
    import io

    from tui.cli import utf8_streams

    cp1258 = io.TextIOWrapper(io.BytesIO(), encoding="cp1258")
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="UTF8", errors="strict")
    utf8_streams(cp1258, utf8)
    assert cp1258.encoding == "utf-8"
    assert (utf8.encoding, utf8.errors) == ("UTF8", "strict")
    cp1258.write("Ảnh hưởng")
    cp1258.flush()
    assert cp1258.buffer.getvalue().decode("utf-8") == "Ảnh hưởng"
