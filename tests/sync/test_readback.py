"""Reading back a bundle just written: a whole one reads back with its size and record count;
a cut, changed, foreign or missing file is caught while the sender can still write it again,
and whatever the read-back lets through, the office above takes."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import address, aid, helper
from offices import Chain, chain, files_of, make_office, reopen

from sync import send
from sync.errors import SyncError
from sync.readback import Checked, verify_written
from sync.receive import import_bundle


def write_again(path: Path) -> str:
    """The message a user reads when a bundle must be written again."""
    return (
        f"Gói vừa ghi ở {path} không đọc lại được hoặc không khớp với bản đã ký: có thể ổ đĩa "
        "(USB) bị đầy, hỏng hay được rút ra quá sớm. Gói này không dùng được; hãy ghi lại gói "
        "(ghi ra chỗ khác nếu được)."
    )


def refused(store, path: Path) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SyncError) as caught:
        verify_written(store, path)
    return str(caught.value)


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Chain]:
    """The chain of offices; Phường 1 (the commune) holds four records of its own."""
    with chain(tmp_path) as offices:
        offices.commune.save_many(
            [
                ("helper", helper("h1")),
                ("address", address("a1", name="Lê Thị Hồng")),
                ("aid", aid("x1", value=300_000)),
                ("aid", aid("x2", on="2011-05-02", value=450_000)),
            ]
        )
        yield offices


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def member_data(payload: bytes, name: str) -> range:
    """Where a zip member's (compressed) bytes lie in the file."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        info = archive.getinfo(name)
    header = info.header_offset
    name_length = int.from_bytes(payload[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(payload[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    return range(start, start + info.compress_size)


def test_a_bundle_just_written_reads_back_with_its_size_and_records(
    offices: Chain, out: Path
) -> None:
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    checked = verify_written(offices.commune, sent.path)
    assert checked == Checked(sent.path, sent.path.stat().st_size, 4)
    assert checked.path.name == "nhandao-25456-den-703-00001-records.zip"
    assert checked.size > 0


def test_the_e_mail_text_form_reads_back_with_its_own_size(offices: Chain, out: Path) -> None:
    sent = send.export_records(offices.commune, out, armored=True)
    assert sent is not None
    assert sent.path.name == "nhandao-25456-den-703-00001-records.txt"
    text = sent.path.read_text(encoding="utf-8")
    assert "-----BEGIN NHANDAO BUNDLE-----" in text
    checked = verify_written(offices.commune, sent.path)
    assert checked.records == 4
    assert checked.size == len(text.encode("utf-8"))


def test_the_count_is_every_record_of_every_unit_carried(offices: Chain, out: Path) -> None:
    """The district passes on Phường 1's records with its own."""
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    assert import_bundle(offices.district, sent.path).status == "merged"
    offices.district.save_many([("helper", helper("h-city", unit="703", name="Phan Văn Cường"))])
    up = send.export_records(offices.district, out)
    assert up is not None
    assert verify_written(offices.district, up.path).records == 5


def test_the_province_directory_reads_back(offices: Chain, out: Path) -> None:
    sent = send.export_directory(offices.province, out, again=True)
    checked = verify_written(offices.province, sent.path)
    assert checked.records == sent.records > 1
    assert checked.size == sent.path.stat().st_size


@pytest.mark.parametrize("kept", [0.0, 0.25, 0.5, 0.9, 0.99])
def test_a_cut_file_must_be_written_again(offices: Chain, out: Path, kept: float) -> None:
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    whole = sent.path.read_bytes()
    sent.path.write_bytes(whole[: int(len(whole) * kept)])
    assert refused(offices.commune, sent.path) == write_again(sent.path)


def test_a_cut_e_mail_text_must_be_written_again(offices: Chain, out: Path) -> None:
    sent = send.export_records(offices.commune, out, armored=True)
    assert sent is not None
    text = sent.path.read_text(encoding="utf-8")
    sent.path.write_text(text[: len(text) // 2], encoding="utf-8")
    assert refused(offices.commune, sent.path) == write_again(sent.path)


@pytest.mark.parametrize(
    "member", ["manifest.json", "manifest.json.minisig", "records/25456.jsonl"]
)
@pytest.mark.parametrize("where", [0.0, 0.3, 0.6, 0.9])
def test_a_changed_byte_in_a_member_must_be_written_again(
    offices: Chain, out: Path, member: str, where: float
) -> None:
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    payload = bytearray(sent.path.read_bytes())
    span = member_data(bytes(payload), member)
    payload[span[int(where * len(span))]] ^= 0xFF
    sent.path.write_bytes(bytes(payload))
    assert refused(offices.commune, sent.path) == write_again(sent.path)


def test_a_changed_character_of_the_e_mail_text_must_be_written_again(
    offices: Chain, out: Path
) -> None:
    sent = send.export_records(offices.commune, out, armored=True)
    assert sent is not None
    lines = sent.path.read_text(encoding="utf-8").splitlines()
    body = next(i for i, line in enumerate(lines) if line.startswith("-----BEGIN")) + 3
    lines[body] = ("B" if lines[body][0] == "A" else "A") + lines[body][1:]
    sent.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refused(offices.commune, sent.path) == write_again(sent.path)


def test_whatever_reads_back_is_taken_by_the_office_above(offices: Chain, out: Path) -> None:
    """Every single byte of a written bundle changed in turn: the read-back refuses exactly
    what the district would refuse (a byte zip ignores, such as a file date, may pass both)."""
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    whole = sent.path.read_bytes()
    before = files_of(offices.district.path)
    disagree, refusals = [], 0
    for position in range(len(whole)):
        changed = bytearray(whole)
        changed[position] ^= 0xFF
        sent.path.write_bytes(bytes(changed))
        try:
            verify_written(offices.commune, sent.path)
            here = "ok"
        except SyncError as error:
            assert str(error) == write_again(sent.path)
            here = "refused"
            refusals += 1
        there = import_bundle(offices.district, sent.path, dry_run=True).status
        if (here == "refused") != (there == "refused"):
            disagree.append((position, here, there))
    assert disagree == []
    assert refusals > len(whole) // 2
    assert files_of(offices.district.path) == before


def test_a_bundle_signed_by_another_office_must_be_written_again(offices: Chain, out: Path) -> None:
    """A file on the stick with this office's name but another office's signature."""
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    offices.district.save_many([("helper", helper("h-city", unit="703"))])
    theirs = send.export_records(offices.district, out / "nhandao-703.zip")
    assert theirs is not None
    shutil.copy(theirs.path, sent.path)
    assert refused(offices.commune, sent.path) == write_again(sent.path)


def test_a_bundle_signed_by_a_stranger_for_this_unit_must_be_written_again(
    tmp_path: Path, offices: Chain, out: Path
) -> None:
    """Another store made for Phường 1, with a key of its own, signs bundles as 25456."""
    with make_office(tmp_path / "impostor", "25456") as impostor:
        impostor.save_many([("helper", helper("h1")), ("address", address("a1"))])
        theirs = send.export_records(impostor, out)
    assert theirs is not None and theirs.path.name == "nhandao-25456-den-703-00001-records.zip"
    assert refused(offices.commune, theirs.path) == write_again(theirs.path)


def test_a_bundle_of_this_key_that_this_office_never_wrote_must_be_written_again(
    tmp_path: Path, out: Path
) -> None:
    """A copy of the store (a restored backup, say) signs with the same key: its bundle under
    the same number is not the one this office's ledger records as sent."""
    with chain(tmp_path / "offices") as offices:
        offices.commune.save_many([("helper", helper("h1")), ("address", address("a1"))])
    shutil.copytree(tmp_path / "offices" / "commune", tmp_path / "twin")
    with reopen(tmp_path / "offices" / "commune") as commune, reopen(tmp_path / "twin") as twin:
        twin.save_many([("address", address("a2", name="Đỗ Văn Sáu"))])
        theirs = send.export_records(twin, out / "twin.zip")
        ours = send.export_records(commune, out / "ours.zip")
        assert theirs is not None and ours is not None and theirs.sequence == ours.sequence == 1
        assert verify_written(commune, ours.path).records == 2
        assert refused(commune, theirs.path) == write_again(theirs.path)


def test_a_missing_file_must_be_written_again(offices: Chain, out: Path) -> None:
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    sent.path.unlink()
    assert refused(offices.commune, sent.path) == write_again(sent.path)


def test_a_file_that_is_not_a_bundle_must_be_written_again(offices: Chain, out: Path) -> None:
    sent = send.export_records(offices.commune, out)
    assert sent is not None
    sent.path.write_bytes(b"\x00" * sent.path.stat().st_size)  # a stick that lost its data
    assert refused(offices.commune, sent.path) == write_again(sent.path)
