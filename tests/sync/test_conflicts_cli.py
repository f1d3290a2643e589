"""`nhandao conflicts`: the records edited at two offices at once, listed with the offices and
times of their versions, and one version kept from the command line as the screen keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import address
from offices import chain, files_of, reopen

from store.hlc import HybridClock, now_ms
from sync import send
from sync.incoming import moment
from sync.receive import import_bundle
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, " ".join(captured.out.split()), " ".join(captured.err.split())


@dataclass
class District:
    path: Path
    won: dict  # the commune's edit, made later: in use at the district
    lost: dict  # the district's own edit, kept in conflicts.json


@pytest.fixture
def district(tmp_path: Path) -> District:
    """Phường 1 and the district both correct the same address; the commune's edit, later,
    arrives at the district: it wins there, the district's own edit is kept."""
    with chain(tmp_path / "offices") as offices:
        district, commune = offices.district, offices.commune
        commune.save("address", address())
        first = send.export_records(commune, tmp_path / "c1.zip")
        assert first is not None and import_bundle(district, first.path).status == "merged"
        lost = district.save("address", address(place="Khu phố 7"))
        # Later by the clock, not only by the order of the lines: two saves in the same
        # millisecond would be ordered by office id, and the district's would win.
        commune.clock = HybridClock(commune.office.id, wall_ms=lambda: now_ms() + 60_000)
        won = commune.save("address", address(place="Khu phố 8"))
        second = send.export_records(commune, tmp_path / "c2.zip")
        assert second is not None
        assert import_bundle(district, second.path).total("conflict") == 1
        return District(district.path, won, lost)


def test_the_conflicts_are_listed_with_both_versions(
    district: District, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "conflicts", "--store", str(district.path))
    assert code == 0
    assert out == (
        "1 bản ghi được sửa cùng lúc ở hai nơi (bản 1 là bản đang dùng): "
        "- Địa chỉ «Nguyễn Văn An» (mã a1) [address a1] "
        f"1. sửa ở Phường 1 lúc {moment(district.won['v'])} ({district.won['v']}) "
        f"2. sửa ở văn phòng này lúc {moment(district.lost['v'])} ({district.lost['v']}) "
        "Giữ một bản: «nhandao conflicts keep LOẠI MÃ SỐ_BẢN», ví dụ «nhandao conflicts keep "
        "address a1 1»; bản được giữ thành một bản sửa mới, gửi lên cấp trên như mọi bản sửa."
    )
    assert run(capsys, "conflicts", "list", "--store", str(district.path))[1] == out


@pytest.mark.parametrize("chosen", ["2", "full version"])
def test_keeping_a_version_settles_the_conflict_as_the_screen_does(
    district: District, capsys: pytest.CaptureFixture[str], chosen: str
) -> None:
    version = district.lost["v"] if chosen == "full version" else chosen
    code, out, err = run(
        capsys, "conflicts", "keep", "address", "a1", version, "--store", str(district.path)
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"Đã giữ bản sửa ở văn phòng này lúc {moment(district.lost['v'])}")
    assert out.endswith(
        "của Địa chỉ «Nguyễn Văn An» (mã a1): xung đột đã được giải quyết. Bản được giữ là một "
        "bản sửa mới của văn phòng này và sẽ được gửi lên cấp trên ở lần gửi sau."
    )
    with reopen(district.path) as store:
        assert store.conflicts() == []
        kept = store.get("address", "a1")
        assert kept is not None and kept["place"] == "Khu phố 7"
        assert kept["v"] > district.won["v"]
    code, out, _ = run(capsys, "conflicts", "--store", str(district.path))
    assert (code, out) == (0, "Không có bản ghi nào đang xung đột.")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (["adress", "a1", "1"], "Không có loại bản ghi «adress». Các loại: unit, "),
        (
            ["address", "a7", "1"],
            "Địa chỉ mã «a7» không có xung đột nào. Xem các bản ghi đang xung đột bằng «nhandao "
            "conflicts». Không thay đổi gì.",
        ),
        (
            ["address", "a1", "3"],
            "Địa chỉ «Nguyễn Văn An» (mã a1) không có bản «3»: chọn một số từ 1 đến 2 (1 là bản "
            "đang dùng), như «nhandao conflicts» liệt kê. Không thay đổi gì.",
        ),
        (
            ["address", "a1", "1733000000000-0000-25456-5c6067"],
            "Địa chỉ «Nguyễn Văn An» (mã a1) không có bản «1733000000000-0000-25456-5c6067»",
        ),
    ],
)
def test_a_bad_choice_is_refused_and_changes_nothing(
    district: District, capsys: pytest.CaptureFixture[str], typed: list[str], said: str
) -> None:
    before = files_of(district.path)
    code, out, err = run(capsys, "conflicts", "keep", *typed, "--store", str(district.path))
    assert code == 1 and out == ""
    assert said in err
    assert files_of(district.path) == before
