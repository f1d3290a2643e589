"""The command `settings`: what the office's documents print (the signer, the place, «Nơi nhận»,
the documents cited, the period), shown, set and put back to the default."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from campaign.text import quoted
from store.store import Store
from tui.cli import EXIT_ERROR, EXIT_OK, Handler, UsageError
from tui.settings_form import (
    BY_KEY,
    KEYS,
    SETTINGS,
    SettingError,
    defaults,
    is_set,
    read_changes,
    setting_key,
    shown,
    shown_default,
    stored_value,
)

_KEYS_HELP = ", ".join(KEYS)
_LIST_KEYS = tuple(s.key for s in SETTINGS if s.kind == "lines")


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> dict[str, Handler]:
    """Add `settings` to the command line; return its handler."""
    settings = commands.add_parser(
        "settings",
        parents=[common],
        help="xem hoặc sửa thông tin in trên văn bản (người ký, địa danh, nơi nhận…)",
        description="Không ghi việc: in từng mục, giá trị hoặc giá trị mặc định văn bản dùng. "
        "Các mục: " + "; ".join(f"{s.key} ({s.label})" for s in SETTINGS) + ".",
    )
    actions = settings.add_subparsers(dest="action", metavar="VIỆC")
    setting = actions.add_parser(
        "set",
        parents=[common],
        help="đặt một mục",
        description=f"Đặt MỤC, một trong: {_KEYS_HELP}. Chữ có thể gõ thành nhiều từ; với các "
        f"danh sách ({', '.join(_LIST_KEYS)}) mỗi GIÁ_TRỊ là một dòng, hoặc lấy từ --file. Năm "
        "ghi như 2018, hạn báo cáo ngày/tháng/năm. Dòng bắt đầu bằng «-» thì ghi «--» trước.",
    )
    setting.add_argument("key", metavar="MỤC", help=f"một trong: {_KEYS_HELP}")
    setting.add_argument(
        "values", nargs="*", metavar="GIÁ_TRỊ", help="giá trị; với danh sách, mỗi dòng một giá trị"
    )
    setting.add_argument(
        "--file",
        type=Path,
        metavar="TỆP",
        help=f"với {' hoặc '.join(_LIST_KEYS)}: một tệp văn bản UTF-8, mỗi dòng một mục",
    )
    unset = actions.add_parser(
        "unset",
        parents=[common],
        help="trả một mục về mặc định",
        description=f"Trả MỤC về giá trị mặc định văn bản dùng. MỤC là một trong: {_KEYS_HELP}.",
    )
    unset.add_argument("key", metavar="MỤC", help=f"một trong: {_KEYS_HELP}")
    return {"settings": _settings}


def _settings(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.action is None:
        _show(store, out)
        return EXIT_OK
    try:
        key = setting_key(args.key)
    except SettingError as error:
        raise UsageError(str(error)) from None
    typed = None if args.action == "unset" else _typed(key, args)
    values, errors = read_changes({key: typed}, store.office.settings, defaults(store))
    if errors:
        err.print(f"Chưa lưu gì: {errors[key]}", style="red")
        return EXIT_ERROR
    value = stored_value(store, key, values[key])
    store.update_settings(**{key: value})
    label = BY_KEY[key].label
    out.print(f"Đã lưu «{label}» ({key}):")
    _print_value(out, key, value, defaults(store)[key])
    return EXIT_OK


def _typed(key: str, args: argparse.Namespace) -> str | list[str]:
    if args.file is None:
        if not args.values:
            raise UsageError(
                f"Hãy cho giá trị của {key} sau tên mục, hoặc dùng «nhandao settings unset "
                f"{key}» để trở về mặc định."
            )
        return list(args.values)
    if args.values:
        raise UsageError("Hãy cho giá trị hoặc --file, không cả hai.")
    if key not in _LIST_KEYS:
        raise UsageError(f"--file chỉ dùng cho {' và '.join(_LIST_KEYS)}, mỗi dòng một mục.")
    try:
        return args.file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"Tệp {quoted(args.file, 200)} không phải văn bản UTF-8. Hãy lưu tệp dạng "
            "«UTF-8» (Notepad: Lưu thành… → Mã hoá UTF-8) rồi thử lại."
        ) from None
    except FileNotFoundError:
        raise UsageError(f"Không có tệp {quoted(args.file, 200)}.") from None
    except OSError as error:
        raise UsageError(
            f"Không đọc được tệp {quoted(args.file, 200)}: {error.strerror or error}."
        ) from None


def _show(store: Store, out: Console) -> None:
    current = store.office.settings
    fallback = defaults(store)
    out.print(f"Thông tin trên văn bản của {store.units.path(store.office.unit)}", style="bold")
    out.print(
        "Đổi: nhandao settings set KHOÁ GIÁ TRỊ · về mặc định: nhandao settings unset KHOÁ",
        style="dim",
    )
    for setting in SETTINGS:
        out.print()
        out.print(f"{setting.label} ({setting.key}):", style="bold")
        _print_value(out, setting.key, current.get(setting.key), fallback[setting.key])


def _print_value(out: Console, key: str, value: object, default: object) -> None:
    """The value, indented, one line each for a list; «(mặc định: …)» when not set."""
    if is_set(value):
        text = shown(key, value)
        if BY_KEY[key].kind == "lines":
            for line in text.splitlines():
                out.print(f"  {line}")
        else:
            out.print(f"  {text}")
        return
    text = shown_default(key, default)
    if BY_KEY[key].kind == "lines" and is_set(default):
        lines = text.splitlines()
        out.print(f"  (mặc định, {len(lines)} dòng:)")
        for line in lines:
            out.print(f"    {line}")
    else:
        out.print(f"  (mặc định: {text})")
