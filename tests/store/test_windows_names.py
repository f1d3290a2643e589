"""A store made on Linux copies to a Windows PC and opens there: no unit code that Windows
cannot hold as a file name gets in, by a records file, a bundle's directory or an old store."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from factories import TODAY

from campaign.units import case_clashes, unsafe_code
from store.errors import ValidationError
from store.records_file import import_records
from store.store import Store


def school(code: str, name: str = "Trường THCS Thử") -> dict:
    return {"code": code, "name": name, "kind": "school", "parent": "703"}


def records_file(path: Path, *units: dict) -> Path:
    path.write_bytes(
        orjson.dumps({"format": "nhandao-records", "version": 1, "units": list(units)})
    )
    return path


def files_of(store_path: Path) -> set[str]:
    return {p.relative_to(store_path).as_posix() for p in store_path.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "code, says",
    [
        ("CON", "trùng với tên thiết bị «CON» mà Windows giữ riêng"),
        ("nul", "trùng với tên thiết bị «NUL» mà Windows giữ riêng"),
        ("Com1", "trùng với tên thiết bị «COM1» mà Windows giữ riêng"),
        ("LPT9", "trùng với tên thiết bị «LPT9» mà Windows giữ riêng"),
        ("aux.2", "trùng với tên thiết bị «AUX» mà Windows giữ riêng"),
        ("703-TH.", "kết thúc bằng dấu chấm"),
    ],
)
def test_a_code_windows_cannot_hold_is_refused_with_the_reason_and_nothing_is_saved(
    store: Store, store_path: Path, tmp_path: Path, code: str, says: str
) -> None:
    before = files_of(store_path)
    with pytest.raises(ValidationError) as refused:
        import_records(store, records_file(tmp_path / "in.json", school(code)))
    (problem,) = refused.value.problems
    assert f"«Mã đơn vị» «{code}» {says}" in str(problem)
    assert code not in store.units and files_of(store_path) == before


@pytest.mark.parametrize("code", ["CONTOSO", "COM10", "LPT", "NUL-1", "A.CON", "703.1"])
def test_codes_that_only_look_like_device_names_are_taken(code: str) -> None:
    assert unsafe_code(code) is None


@pytest.mark.parametrize(
    "codes, clash",
    [
        (["TH-A", "th-a"], {"th-a": "TH-A"}),
        (["TH-A", "th-b", "Th-A", "tH-a"], {"Th-A": "TH-A", "tH-a": "TH-A"}),
        (["TH-A", "TH-A"], {}),  # the same code twice is another problem, reported elsewhere
    ],
)
def test_codes_differing_only_in_case_are_found(codes: list[str], clash: dict[str, str]) -> None:
    assert case_clashes(codes) == clash


def test_a_code_differing_only_in_case_from_one_in_the_store_is_refused(
    store: Store, tmp_path: Path
) -> None:
    import_records(store, records_file(tmp_path / "a.json", school("703-TH-A", "Trường A")))
    with pytest.raises(ValidationError) as refused:
        import_records(store, records_file(tmp_path / "b.json", school("703-th-a", "Trường B")))
    (problem,) = refused.value.problems
    assert "mã «703-th-a» chỉ khác mã «703-TH-A» ở chữ hoa, chữ thường" in str(problem)
    assert "703-th-a" not in store.units


def test_two_codes_of_one_file_differing_only_in_case_are_refused(
    store: Store, tmp_path: Path
) -> None:
    path = records_file(
        tmp_path / "in.json", school("TH-A", "Trường A"), school("th-a", "Trường B")
    )
    with pytest.raises(ValidationError) as refused:
        import_records(store, path)
    assert ["mã «th-a» chỉ khác mã «TH-A»" in str(p) for p in refused.value.problems] == [True]
    assert "TH-A" not in store.units


def test_check_reports_an_old_store_whose_codes_clash_on_windows(
    store_path: Path, tmp_path: Path
) -> None:
    # A store written before codes were checked: its directory holds both spellings.
    with Store.create(store_path, "72", today=lambda: TODAY) as store:
        directory = orjson.loads((store_path / "directory.json").read_bytes())
    directory["units"] += [school("TH-A", "Trường A"), school("th-a", "Trường B")]
    (store_path / "directory.json").write_bytes(orjson.dumps(directory))
    with Store.open(store_path, today=lambda: TODAY) as store:
        problems = store.verify()
    assert [p for p in problems if "Windows" in p] == [
        "Đơn vị «th-a» và «TH-A»: hai mã chỉ khác nhau ở chữ hoa, chữ thường, nên kho này không "
        "chép sang máy Windows được (ở đó chúng là một tên tệp)."
    ]


def test_a_store_folder_too_deep_for_windows_is_refused_with_a_way_out(tmp_path: Path) -> None:
    from store.errors import StorePathTooLongError
    from store.store import MAX_STORE_PATH, WINDOWS_MAX_PATH, check_path_length

    deepest = f"/backups/unit-{'X' * 32}/broken-20261201T235959999999.json"
    assert MAX_STORE_PATH + len(deepest) == WINDOWS_MAX_PATH
    fits = Path("/" + "a" * (MAX_STORE_PATH - 1))
    check_path_length(fits, platform="win32")
    too_deep = Path("/" + "a" * MAX_STORE_PATH)
    with pytest.raises(StorePathTooLongError) as refused:
        check_path_length(too_deep, platform="win32")
    assert f"dài {MAX_STORE_PATH + 1} ký tự; trên Windows nó chỉ được dài tối đa" in str(
        refused.value
    )
    assert "Hãy chọn thư mục ngắn hơn bằng --store (ví dụ D:\\nhandao)" in str(refused.value)
    check_path_length(too_deep, platform="linux")  # the copy on Windows decides, not Linux


def test_the_cli_refuses_a_deep_store_on_windows_before_writing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import store.store as store_module
    from tui.cli import main

    monkeypatch.setattr(store_module.sys, "platform", "win32")
    deep = tmp_path / ("thu-muc-rat-dai-" * 12)
    assert main(["init", "--unit", "25456", "--store", str(deep)]) == 1
    assert "trên Windows nó chỉ được dài tối đa" in capsys.readouterr().err
    assert not deep.exists()
