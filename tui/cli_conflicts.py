"""`nhandao conflicts`: the records edited at two offices at once, and settling one of them
from the command line as the conflicts screen does (store.resolve_conflict)."""

from __future__ import annotations

import argparse

from rich.console import Console

from campaign.records import KIND_ORDER, KINDS, describe
from store.errors import StoreError
from store.store import Store
from sync.incoming import moment
from tui.cli import EXIT_OK, Handler
from tui.labels import writer


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> dict[str, Handler]:
    """Add `conflicts` to the command line; return its handler."""
    parser = commands.add_parser(
        "conflicts",
        parents=[common],
        help="liệt kê các bản ghi xung đột, hoặc giữ một bản của một bản ghi",
    )
    actions = parser.add_subparsers(dest="action", metavar="VIỆC")
    actions.add_parser("list", parents=[common], help="liệt kê (mặc định)")
    keep = actions.add_parser(
        "keep", parents=[common], help="giữ một bản của bản ghi: bản này thay các bản kia"
    )
    keep.add_argument("kind", metavar="LOẠI", help="loại bản ghi: " + ", ".join(KIND_ORDER))
    keep.add_argument("key", metavar="MÃ", help="mã bản ghi, như danh sách in ra")
    keep.add_argument(
        "version",
        metavar="BẢN",
        help="số thứ tự danh sách ghi cho bản đó (1 là bản đang dùng), hoặc cả mã phiên bản",
    )
    return {"conflicts": _conflicts}


def versions_of(store: Store) -> dict[tuple[str, str], list[dict]]:
    """Each record in conflict and its versions: the one in use first, then the kept ones."""
    records: dict[tuple[str, str], list[dict]] = {}
    for kind, document in store.conflicts():
        pair = (kind, document["id"])
        if pair not in records:
            records[pair] = store.conflict_versions(kind, document["id"])
    return {pair: versions for pair, versions in records.items() if versions}


def _conflicts(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.action == "keep":
        return _keep(args, store, out)
    records = versions_of(store)
    if not records:
        out.print("Không có bản ghi nào đang xung đột.")
        return EXIT_OK
    out.print(
        f"{len(records)} bản ghi được sửa cùng lúc ở hai nơi (bản 1 là bản đang dùng):",
        markup=False,
    )
    for (kind, key), versions in records.items():
        out.print(f"- {describe(kind, versions[0])} [{kind} {key}]", markup=False)
        for number, version in enumerate(versions, start=1):
            out.print(f"  {number}. {_version(store, version)}", markup=False)
    out.print(
        "Giữ một bản: «nhandao conflicts keep LOẠI MÃ SỐ_BẢN», ví dụ «nhandao conflicts keep "
        f"{kind} {key} 1»; bản được giữ thành một bản sửa mới"
        + (", gửi lên cấp trên như mọi bản sửa." if not store.is_province_office() else "."),
        markup=False,
    )
    return EXIT_OK


def _version(store: Store, version: dict) -> str:
    """«sửa ở Phường 1 lúc 09:30 ngày 28/11/2026 (bản 1733…)»."""
    deleted = "xoá" if version.get("deleted") else "sửa"
    where = writer(store, version.get("by"))
    return f"{deleted} ở {where} lúc {moment(version['v'])} ({version['v']})"


def _keep(args: argparse.Namespace, store: Store, out: Console) -> int:
    kind, key, chosen = args.kind, args.key, args.version
    if kind not in KINDS:
        raise StoreError(
            f"Không có loại bản ghi «{kind}». Các loại: {', '.join(KIND_ORDER)} (xem «nhandao "
            "conflicts»)."
        )
    versions = versions_of(store).get((kind, key))
    if not versions:
        raise StoreError(
            f"{KINDS[kind].label} mã «{key}» không có xung đột nào. Xem các bản ghi đang xung "
            "đột bằng «nhandao conflicts». Không thay đổi gì."
        )
    numbers = {str(n): v for n, v in enumerate(versions, start=1)}
    picked = numbers.get(chosen) or next((v for v in versions if v["v"] == chosen), None)
    if picked is None:
        raise StoreError(
            f"{describe(kind, versions[0])} không có bản «{chosen}»: chọn một số từ 1 đến "
            f"{len(versions)} (1 là bản đang dùng), như «nhandao conflicts» liệt kê. Không thay "
            "đổi gì."
        )
    saved = store.resolve_conflict(kind, key, picked["v"])
    out.print(
        f"Đã giữ bản {_version(store, picked)} của {describe(kind, saved)}: xung đột đã được giải "
        "quyết. Bản được giữ là một bản sửa mới của văn phòng này"
        + (
            " và sẽ được gửi lên cấp trên ở lần gửi sau." if not store.is_province_office() else "."
        ),
        markup=False,
    )
    return EXIT_OK
