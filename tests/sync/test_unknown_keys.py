"""A bundle from a key not enrolled yet: refused with the key it carries, then enrolled from the
bundle itself once its fingerprint was read over the phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import address, aid, helper
from offices import Chain, chain, files_of, make_office

from store.hlc import HybridClock
from store.store import Store
from sync import keys, send
from sync.errors import SyncError, UnknownKey
from sync.receive import import_bundle
from tui.cli import main

# 15/03/2018 10:00 in Việt Nam (UTC+7), far from midnight in any time zone a test may run in
# but a few: the bundle's day is read in the receiver's time zone.
WRITTEN_MS = 1_521_082_800_000


@dataclass
class Newcomer:
    """Phường 3's office, set up after the others: its key is not enrolled at the district."""

    offices: Chain
    store: Store
    bundle: Path
    text: Path  # the same records, as the e-mail text form


@pytest.fixture
def newcomer(tmp_path: Path) -> Iterator[Newcomer]:
    with (
        chain(tmp_path / "offices") as offices,
        make_office(tmp_path / "phuong3", "25459", offices.province) as phuong3,
    ):
        phuong3.clock = HybridClock(phuong3.office.id, wall_ms=lambda: WRITTEN_MS)
        phuong3.save_many([("helper", helper(unit="25459")), ("address", address(unit="25459")),
                           ("aid", aid())])  # fmt: skip
        out = tmp_path / "out"
        out.mkdir()
        sent = send.export_records(phuong3, out)
        text = send.export_records(phuong3, out, armored=True)
        assert sent is not None and text is not None
        yield Newcomer(offices, phuong3, sent.path, text.path)


def test_a_bundle_from_an_unknown_key_shows_who_claims_it_and_the_fingerprint(
    newcomer: Newcomer,
) -> None:
    district = newcomer.offices.district
    before = files_of(district.path)
    report = import_bundle(district, newcomer.bundle)
    refusal = report.refusal
    assert report.refused and isinstance(refusal, UnknownKey)
    assert refusal.reason == "unknown-key"
    public = keys.office_key(newcomer.store).public
    assert refusal.public_key == public and refusal.key_id == public.id_text
    assert refusal.fingerprint == keys.fingerprint(public)
    assert refusal.claimed_sender == "25459" and refusal.bundle_name == newcomer.bundle.name
    message = str(refusal)
    assert "Gói tự ghi là do Phường 3 (25459) gửi" in message
    assert f"dấu vân tay của khoá: {refusal.fingerprint}" in message
    assert "gọi điện" in message and "Chỉ khi khớp từng chữ số" in message
    assert "Chưa nhập gì vào kho." in message
    assert report.sequence == 1 and report.created is not None
    assert report.created.isoformat() == "2018-03-15"
    assert files_of(district.path) == before


def test_the_e_mail_form_of_an_unknown_key_bundle_is_recognised_too(newcomer: Newcomer) -> None:
    report = import_bundle(newcomer.offices.district, newcomer.text)
    assert isinstance(report.refusal, UnknownKey) and report.refusal.claimed_sender == "25459"


def test_enrolling_from_the_bundle_then_importing_it(newcomer: Newcomer) -> None:
    district = newcomer.offices.district
    refusal = import_bundle(district, newcomer.bundle).refusal
    assert isinstance(refusal, UnknownKey)
    spoken = refusal.fingerprint.replace(" ", "")  # read over the phone, typed without spaces
    entry = keys.enrol_from_bundle(district, newcomer.bundle, fingerprint=spoken)
    assert (entry.key, entry.unit, entry.by) == (refusal.key_id, "25459", "703")
    report = import_bundle(district, newcomer.bundle)
    assert report.status == "merged" and report.sender == "25459" and report.total("new") == 3
    assert district.get("address", "a1")["unit"] == "25459"  # type: ignore[index]
    # Enrolling again from a bundle of the same key changes nothing.
    assert keys.enrol_from_bundle(district, newcomer.text, unit="25459") == entry
    assert len(keys.enrolments(district)) == 2


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"fingerprint": "12345 67890 12345 67890 12345"}, "Không đăng ký: gói có thể là giả mạo"),
        ({"unit": "25462"}, "khoá ký gói chỉ đăng ký được cho chính đơn vị đó"),
    ],
    ids=["wrong fingerprint", "another unit than the sender's"],
)
def test_enrolling_from_a_bundle_is_refused_when_a_check_fails(
    newcomer: Newcomer, options: dict, says: str
) -> None:
    district = newcomer.offices.district
    before = files_of(district.path)
    with pytest.raises(SyncError, match=says):
        keys.enrol_from_bundle(district, newcomer.bundle, **options)
    assert files_of(district.path) == before
    assert import_bundle(district, newcomer.bundle).refused


def test_a_key_is_enrolled_from_a_bundle_only_within_the_office_subtree(
    newcomer: Newcomer,
) -> None:
    with pytest.raises(
        SyncError, match=r"Phường 3 \(25459\) không thuộc phạm vi của văn phòng Phường 1"
    ):
        keys.enrol_from_bundle(newcomer.offices.commune, newcomer.bundle)


def test_a_tampered_bundle_enrols_nothing(newcomer: Newcomer, tmp_path: Path) -> None:
    import zipfile

    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(newcomer.bundle) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "manifest.json":
                content = content.replace(b'"sequence": 1', b'"sequence": 7')
            target.writestr(item, content)
    district = newcomer.offices.district
    before = files_of(district.path)
    report = import_bundle(district, changed)
    assert report.refusal is not None and report.refusal.reason == "signature"
    with pytest.raises(SyncError, match=r"Không đăng ký được khoá từ gói changed\.zip"):
        keys.enrol_from_bundle(district, changed)
    assert files_of(district.path) == before


def test_an_unknown_key_for_a_unit_of_another_district_says_where_to_send_it(
    newcomer: Newcomer, tmp_path: Path
) -> None:
    with make_office(tmp_path / "tan-bien", "25486", newcomer.offices.province) as tan_bien:
        tan_bien.save("address", address("b1", unit="25486"))
        sent = send.export_records(tan_bien, tmp_path / "tan-bien.zip", to="72")
        assert sent is not None
        report = import_bundle(newcomer.offices.district, sent.path)
    assert isinstance(report.refusal, UnknownKey)
    assert "Thị trấn Tân Biên (25486) không thuộc phạm vi của văn phòng này" in str(report.refusal)


def test_keys_enrol_takes_a_bundle_on_the_command_line(
    newcomer: Newcomer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "another-district")
    make_office(Path(folder), "703", newcomer.offices.province).close()
    fingerprint = keys.fingerprint(keys.office_key(newcomer.store).public)
    code = main(["keys", "enrol", str(newcomer.text), "--unit", "25459", "--fingerprint",
                 "00000 00000 00000 00000 00000", "--store", folder])  # fmt: skip
    assert code == 1 and "Không đăng ký: gói có thể là giả mạo" in capsys.readouterr().err
    code = main(["keys", "enrol", str(newcomer.bundle), "--unit", "25459", "--fingerprint",
                 fingerprint, "--store", folder])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "Đã đăng ký khoá" in out and fingerprint in out
    assert re.search(r"Hãy nhập lại gói bằng «nhandao bundle import .*\.zip»", out)
    code = main(["bundle", "import", str(newcomer.bundle), "--store", folder])
    assert code == 0 and "3 mới" in capsys.readouterr().out
