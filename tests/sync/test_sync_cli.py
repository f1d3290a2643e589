"""`nhandao keys …` and `nhandao bundle …` as a user types them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import orjson
import pytest
from factories import address, aid, helper
from offices import files_of

from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def offices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """A province, a district and a commune office made with `nhandao init`, keys enrolled
    and the province's directory delivered, as the guide tells offices to do."""
    paths = {name: str(tmp_path / name) for name in ("province", "district", "commune")}
    assert run(capsys, "init", "--unit", "72", "--store", paths["province"])[0] == 0
    province_key = str(tmp_path / "province" / "keys" / "office.pub")
    for name, unit in (("district", "703"), ("commune", "25456")):
        code, out, err = run(capsys, "init", "--unit", unit, "--province-key", province_key,
                             "--store", paths[name])  # fmt: skip
        assert code == 0, err
        assert "Đã ghim khoá của Tỉnh Hội" in out
    district_key = str(tmp_path / "district" / "keys" / "office.pub")
    commune_key = str(tmp_path / "commune" / "keys" / "office.pub")
    assert (
        run(capsys, "keys", "enrol", district_key, "--unit", "703", "--store", paths["province"])[0]
        == 0
    )
    assert (
        run(capsys, "keys", "enrol", commune_key, "--unit", "25456", "--store", paths["district"])[
            0
        ]
        == 0
    )
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    paths["out"] = str(out_folder)
    assert (
        run(capsys, "bundle", "directory", "--to", str(out_folder), "--store", paths["province"])[0]
        == 0
    )
    directory = next(out_folder.glob("*-directory.zip"))
    for name in ("district", "commune"):
        assert run(capsys, "bundle", "import", str(directory), "--store", paths[name])[0] == 0
    directory.unlink()
    records = tmp_path / "records.json"
    records.write_bytes(orjson.dumps({"format": "nhandao-records", "version": 1,
                                      "helpers": [helper()], "addresses": [address()],
                                      "aid": [aid()]}))  # fmt: skip
    assert run(capsys, "records", "import", str(records), "--store", paths["commune"])[0] == 0
    return paths


def test_init_makes_a_private_key_only_the_owner_can_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init", "--unit", "705", "--store", str(tmp_path / "s"))
    assert code == 0 and re.search(r"dấu vân tay (\d{5} ){4}\d{5}", out)
    if sys.platform != "win32":
        assert (tmp_path / "s" / "keys").stat().st_mode & 0o777 == 0o700
        assert (tmp_path / "s" / "keys" / "office.key").stat().st_mode & 0o777 == 0o600
    pub = (tmp_path / "s" / "keys" / "office.pub").read_text()
    assert pub.startswith("untrusted comment: ") and pub.splitlines()[1].startswith("RW")


def test_the_province_needs_no_province_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", "--unit", "705", "--store", str(tmp_path / "a"))
    code, _, err = run(capsys, "init", "--unit", "72", "--province-key",
                       str(tmp_path / "a" / "keys" / "office.pub"), "--store", str(tmp_path / "p"))  # fmt: skip
    assert code == 2 and "không cần --province-key" in err
    assert not (tmp_path / "p").exists()


def test_keys_show_prints_the_public_key_and_a_fingerprint_for_the_phone(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "keys", "show", "--store", offices["commune"])
    assert code == 0
    assert "Khoá công khai của văn phòng Phường 1 (25456)" in out
    assert re.search(r"Dấu vân tay: (\d{5} ){4}\d{5}", out)
    assert "untrusted comment: nhandao public key" in out


def test_at_the_province_keys_show_and_a_send_speak_of_the_offices_below(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "keys", "show", "--store", offices["province"])
    said = " ".join(out.split())
    assert code == 0 and "cấp trên" not in said
    assert said.endswith(
        f"Đây là khoá của Tỉnh Hội: gửi tệp {Path(offices['province']) / 'keys' / 'office.pub'} "
        "cho mọi văn phòng cấp dưới để họ ghim lại («nhandao keys pin office.pub»); hãy đọc dấu "
        "vân tay trên cho họ đối chiếu qua điện thoại."
    )
    code, out, _ = run(capsys, "keys", "show", "--store", offices["commune"])
    assert "cho văn phòng cấp trên; khi họ đăng ký khoá" in " ".join(out.split())


def test_enrolling_outside_the_office_subtree_or_with_a_wrong_fingerprint_is_refused(
    offices: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = str(tmp_path / "commune" / "keys" / "office.pub")
    code, _, err = run(
        capsys, "keys", "enrol", key, "--unit", "25486", "--store", offices["district"]
    )
    assert code == 1 and "không thuộc phạm vi của văn phòng Thành phố Tây Ninh" in err
    code, _, err = run(capsys, "keys", "enrol", key, "--unit", "25459", "--fingerprint",
                       "00000 00000 00000 00000 00000", "--store", offices["district"])  # fmt: skip
    assert code == 1 and "Không đăng ký: tệp có thể đã bị tráo" in err
    not_a_key = tmp_path / "x.pub"
    not_a_key.write_text("hello")
    code, _, err = run(
        capsys, "keys", "enrol", str(not_a_key), "--unit", "25459", "--store", offices["district"]
    )
    assert code == 1 and "không chứa khoá công khai nhandao" in err


def test_a_bundle_goes_up_is_acknowledged_and_only_changes_go_next(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_folder = Path(offices["out"])
    code, out, _ = run(
        capsys, "bundle", "export", "--to", str(out_folder), "--store", offices["commune"]
    )
    assert code == 0 and "Đã ghi gói dữ liệu số 1 (3 bản ghi của 1 đơn vị)" in out
    first = next(out_folder.glob("nhandao-25456-den-703-*-records.zip"))
    code, out, _ = run(capsys, "bundle", "verify", str(first), "--store", offices["district"])
    assert code == 0 and "3 mới" in out
    code, out, _ = run(capsys, "bundle", "import", str(first), "--store", offices["district"])
    assert code == 0 and "đã nhập: 3 mới, 0 cập nhật" in out
    code, out, _ = run(capsys, "bundle", "import", str(first), "--store", offices["district"])
    assert code == 0 and "đã được nhập trước đó; không có gì thay đổi" in out
    code, out, _ = run(
        capsys, "bundle", "ack", "--to", str(out_folder), "--store", offices["district"]
    )
    assert code == 0 and "Đã ghi gói xác nhận cho Phường 1 (1 gói)" in out
    ack = next(out_folder.glob("nhandao-703-den-25456-*-ack.zip"))
    code, out, _ = run(capsys, "bundle", "import", str(ack), "--store", offices["commune"])
    assert code == 0 and "Thành phố Tây Ninh xác nhận đã nhận gói số 1" in out
    code, out, _ = run(
        capsys, "bundle", "export", "--to", str(out_folder), "--store", offices["commune"]
    )
    assert code == 0 and "không có gì mới để gửi" in out


def test_a_dry_run_prints_a_row_per_unit_and_changes_nothing(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_folder = Path(offices["out"])
    run(
        capsys, "bundle", "export", "--to", str(out_folder / "b.zip"), "--store", offices["commune"]
    )
    before = files_of(Path(offices["district"]))
    code, out, _ = run(capsys, "bundle", "import", str(out_folder / "b.zip"), "--dry-run",
                       "--store", offices["district"])  # fmt: skip
    assert code == 0 and "chạy thử, chưa thay đổi gì" in out
    assert re.search(r"Phường 1 \(25456\)\s+│\s+3 │\s+0 │\s+0 │\s+0 │\s+0", out)
    assert files_of(Path(offices["district"])) == before


def test_the_e_mail_form_is_read_back_from_a_quoted_crlf_reply(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = Path(offices["out"]) / "thu.txt"
    code, _, _ = run(
        capsys, "bundle", "export", "--to", str(text), "--armor", "--store", offices["commune"]
    )
    assert code == 0 and "-----BEGIN NHANDAO BUNDLE-----" in text.read_text()
    reply = "Trả lời thư của anh:\r\n" + "".join(
        f"> {line}\r\n" for line in text.read_text().splitlines()
    )
    pasted = Path(offices["out"]) / "reply.txt"
    pasted.write_text(reply, encoding="utf-8")
    code, out, _ = run(capsys, "bundle", "import", str(pasted), "--store", offices["district"])
    assert code == 0 and "3 mới" in out


def test_a_refused_bundle_exits_non_zero_with_a_sentence(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    fake = Path(offices["out"]) / "fake.zip"
    fake.write_bytes(b"PK\x03\x04 truncated")
    before = files_of(Path(offices["district"]))
    code, _, err = run(capsys, "bundle", "import", str(fake), "--store", offices["district"])
    assert code == 1 and "Gói fake.zip bị từ chối: Tệp fake.zip bị cắt cụt hoặc hỏng" in err
    assert "Chưa nhập gì vào kho." in err
    assert files_of(Path(offices["district"])) == before


def test_importing_several_bundles_reports_each_and_the_total(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_folder = Path(offices["out"])
    run(
        capsys, "bundle", "export", "--to", str(out_folder / "1.zip"), "--store", offices["commune"]
    )
    (out_folder / "2.zip").write_bytes(b"not a bundle")
    code, out, err = run(capsys, "bundle", "import", str(out_folder / "1.zip"), str(out_folder / "2.zip"),
                         "--store", offices["district"])  # fmt: skip
    assert code == 1
    assert "Đã nhập 1 trên 2 gói; 1 gói bị từ chối." in out and "Gói 2.zip bị từ chối" in err


def test_revoking_a_key_refuses_its_next_bundle(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_folder = Path(offices["out"])
    run(
        capsys, "bundle", "export", "--to", str(out_folder / "1.zip"), "--store", offices["commune"]
    )
    code, out, _ = run(capsys, "keys", "list", "--store", offices["district"])
    key_id = re.search(r"([0-9A-F]{16}) │ Phường 1", out)
    assert code == 0 and key_id
    code, out, _ = run(capsys, "keys", "revoke", key_id.group(1), "--store", offices["district"])
    assert code == 0 and "Đã thu hồi khoá" in out
    code, _, err = run(
        capsys, "bundle", "import", str(out_folder / "1.zip"), "--store", offices["district"]
    )
    assert code == 1 and "đã bị thu hồi" in err


def test_quarantine_lists_nothing_when_nothing_was_held(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "bundle", "quarantine", "--store", offices["district"])
    assert code == 0 and "Không có bản ghi nào bị giữ lại." in out


def test_help_lists_the_sync_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "keys" in out and "bundle" in out


def test_a_folder_of_bundles_is_imported_whole_and_a_commune_can_send_to_the_province(
    offices: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    code, _, err = run(capsys, "bundle", "export", "--to", str(folder), "--for", "705",
                       "--store", offices["commune"])  # fmt: skip
    assert code == 1 and "không phải đơn vị cấp trên của văn phòng này" in err
    code, _, _ = run(
        capsys,
        "bundle",
        "export",
        "--to",
        str(folder),
        "--for",
        "72",
        "--store",
        offices["commune"],
    )
    assert code == 0
    commune_key = str(tmp_path / "commune" / "keys" / "office.pub")
    assert (
        run(
            capsys, "keys", "enrol", commune_key, "--unit", "25456", "--store", offices["province"]
        )[0]
        == 0
    )
    code, out, _ = run(capsys, "bundle", "import", str(folder), "--store", offices["province"])
    assert code == 0 and "đã nhập: 3 mới" in out


def test_a_new_key_must_be_enrolled_before_its_bundles_are_taken(
    offices: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "keys", "new", "--store", offices["commune"])
    assert code == 0 and "Đã tạo cặp khoá mới" in out and "đề nghị họ thu hồi khoá cũ" in out
    assert list((tmp_path / "commune" / "keys").glob("retired-*-office.key"))
    bundle = tmp_path / "new.zip"
    run(capsys, "bundle", "export", "--to", str(bundle), "--store", offices["commune"])
    code, _, err = run(capsys, "bundle", "import", str(bundle), "--store", offices["district"])
    assert code == 1 and "chưa được đăng ký ở văn phòng này" in err
    key = str(tmp_path / "commune" / "keys" / "office.pub")
    assert (
        run(capsys, "keys", "enrol", key, "--unit", "25456", "--store", offices["district"])[0] == 0
    )
    assert run(capsys, "bundle", "import", str(bundle), "--store", offices["district"])[0] == 0


def test_the_pinned_province_key_is_replaced_only_when_asked(
    offices: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = str(tmp_path / "district" / "keys" / "office.pub")
    code, _, err = run(capsys, "keys", "pin", other, "--store", offices["commune"])
    assert code == 1 and "Chỉ thay khi Tỉnh Hội báo đã đổi khoá" in err
    code, out, _ = run(capsys, "keys", "pin", other, "--replace", "--store", offices["commune"])
    assert code == 0 and "Đã ghim khoá của Tỉnh Hội" in out
    code, out, _ = run(capsys, "keys", "list", "--store", offices["commune"])
    assert "Khoá của Tỉnh Hội (đã ghim)" in out


@pytest.mark.parametrize("named", ["as written", "renamed by hand"])
def test_a_folder_is_taken_in_directory_first_whatever_its_names(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path, named: str
) -> None:
    """The district changed its key: its acknowledgement is signed by a key the commune learns
    only from the new directory beside it, whose name sorts after the acknowledgement's."""
    out_folder, stick = Path(offices["out"]), tmp_path / "usb"
    stick.mkdir()
    run(capsys, "bundle", "export", "--to", str(out_folder), "--store", offices["commune"])
    sent = next(out_folder.glob("*-records.zip"))
    assert run(capsys, "bundle", "import", str(sent), "--store", offices["district"])[0] == 0
    assert run(capsys, "keys", "new", "--store", offices["district"])[0] == 0
    new_key = str(Path(offices["district"]) / "keys" / "office.pub")
    code, _, err = run(capsys, "keys", "enrol", new_key, "--unit", "703", "--store",
                       offices["province"])  # fmt: skip
    assert code == 0, err
    assert (
        run(capsys, "bundle", "directory", "--to", str(stick), "--store", offices["province"])[0]
        == 0
    )
    assert run(capsys, "bundle", "ack", "--to", str(stick), "--store", offices["district"])[0] == 0
    ack, directory = sorted(p.name for p in stick.iterdir())
    assert ack.startswith("nhandao-703-den-25456-") and ack.endswith("-ack.zip")
    assert directory.startswith("nhandao-72-den-tat-ca-") and directory.endswith("-directory.zip")
    if named == "renamed by hand":  # the names say nothing: the manifests are read for the order
        (stick / ack).rename(stick / "a.zip")
        (stick / directory).rename(stick / "b.zip")
        ack, directory = "a.zip", "b.zip"
    before = files_of(Path(offices["commune"]))
    code, out, err = run(capsys, "bundle", "import", str(stick), "--dry-run", "--store",
                         offices["commune"])  # fmt: skip
    assert (code, err.strip()) == (0, "")
    assert out.index(f"danh mục số hiệu 2 của Tỉnh Hội ({directory})") < out.index(
        f"Gói {ack} ký bằng khoá "
    )
    assert "mà gói danh mục cùng lần nhập đăng ký: sẽ được kiểm tra và nhập ngay sau gói danh " in (
        " ".join(out.split())
    )
    assert files_of(Path(offices["commune"])) == before
    code, out, err = run(capsys, "bundle", "import", str(stick), "--store", offices["commune"])
    assert (code, err.strip()) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Đã nhận danh mục số hiệu 2 của Tỉnh Hội ({directory})."
    assert lines[1] == (f"Thành phố Tây Ninh xác nhận đã nhận gói số 1 của văn phòng này ({ack}).")
    assert lines[-1] == "Đã nhập 2 trên 2 gói."
    code, out, _ = run(
        capsys, "bundle", "export", "--to", str(out_folder), "--store", offices["commune"]
    )
    assert code == 0 and "không có gì mới để gửi" in out


def test_the_same_directory_is_not_written_twice_unasked(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_folder = Path(offices["out"])
    before = sorted(out_folder.iterdir())
    code, out, err = run(
        capsys, "bundle", "directory", "--to", str(out_folder), "--store", offices["province"]
    )
    assert (code, err.strip()) == (0, "")
    said = " ".join(out.split())
    assert said.startswith("Danh mục số hiệu 1 đã được gửi ngày ")
    assert said.endswith(
        "(gói số 1) và từ đó không đổi: các văn phòng đã nhận sẽ từ chối gói mới vì «không mới "
        "hơn». Không ghi gói nào. Nếu một văn phòng chưa nhận được gói trước, hãy gửi lại cho họ "
        "chính tệp đó. Thêm --again để vẫn ghi."
    )
    assert sorted(out_folder.iterdir()) == before
    code, out, _ = run(capsys, "bundle", "directory", "--to", str(out_folder), "--again",
                       "--store", offices["province"])  # fmt: skip
    assert code == 0 and "Đã ghi gói danh mục số hiệu 1" in out
    (written,) = out_folder.glob("nhandao-72-den-tat-ca-00002-directory.zip")
    assert written.is_file()


def test_bundles_named_the_old_way_are_read(
    offices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_folder = Path(offices["out"])
    run(capsys, "bundle", "export", "--to", str(out_folder), "--store", offices["commune"])
    (sent,) = out_folder.glob("*-records.zip")
    old = sent.rename(out_folder / "nhandao-25456-00001-records.zip")
    code, out, _ = run(capsys, "bundle", "import", str(out_folder), "--store", offices["district"])
    assert code == 0 and f"Gói {old.name} (gói dữ liệu số 1 của Phường 1): đã nhập: 3 mới" in out
