"""The `nhandao keys …` and `nhandao bundle …` commands: keys and signed bundles."""

from __future__ import annotations

import argparse
import glob
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from campaign.money import format_number
from campaign.records import KINDS
from store.store import Store
from sync import keys, receive, send
from sync.errors import SyncError
from sync.receive import ImportReport
from tui.cli import EXIT_ERROR, EXIT_OK, Handler

KIND_LABELS = {"records": "gói dữ liệu", "directory": "gói danh mục", "ack": "gói xác nhận"}
STATUS_LABELS = {"new": "mới", "updated": "cập nhật", "unchanged": "không đổi",
                 "conflict": "xung đột", "quarantined": "bị giữ lại"}  # fmt: skip


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> dict[str, Handler]:
    """Add `keys` and `bundle` to the command line; return their handlers."""
    keys_parser = commands.add_parser(
        "keys", parents=[common], help="khoá của văn phòng và các khoá văn phòng tin cậy"
    )
    actions = keys_parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    actions.add_parser(
        "show", parents=[common], help="in khoá công khai của văn phòng và dấu vân tay của nó"
    )
    enrol = actions.add_parser(
        "enrol",
        parents=[common],
        help="tin cậy khoá một văn phòng cấp dưới gửi đến, cho đơn vị của văn phòng đó",
    )
    enrol.add_argument(
        "file",
        type=Path,
        metavar="TỆP",
        help="tệp office.pub văn phòng kia gửi, hoặc một gói văn phòng đó đã ký (.zip hoặc .txt)",
    )
    enrol.add_argument("--unit", required=True, metavar="MÃ", help="đơn vị của văn phòng đó")
    enrol.add_argument(
        "--fingerprint",
        metavar="CHỮ_SỐ",
        help="dấu vân tay đọc qua điện thoại; khoá khác dấu này thì không được nhận",
    )
    actions.add_parser(
        "new", parents=[common], help="thay cặp khoá của văn phòng (khoá cũ thôi dùng)"
    )
    actions.add_parser("list", parents=[common], help="liệt kê các khoá văn phòng tin cậy")
    revoke = actions.add_parser("revoke", parents=[common], help="thôi tin cậy một khoá, vĩnh viễn")
    revoke.add_argument("key", metavar="MÃ_KHOÁ", help="mã khoá, như «keys list» in ra")
    pin = actions.add_parser(
        "pin",
        parents=[common],
        help="ghi nhận khoá của Tỉnh Hội (cho kho tạo khi chưa có khoá này)",
    )
    pin.add_argument("file", type=Path, metavar="TỆP", help="tệp office.pub của Tỉnh Hội")
    pin.add_argument(
        "--replace", action="store_true", help="thay khoá đã ghi nhận (Tỉnh Hội đã đổi khoá)"
    )
    pin.add_argument(
        "--national",
        action="store_true",
        help="ở văn phòng Tỉnh Hội: ghi nhận khoá của Trung ương Hội, để gửi dữ liệu lên đó",
    )

    bundle = commands.add_parser(
        "bundle", parents=[common], help="gói dữ liệu có chữ ký giữa các văn phòng"
    )
    actions = bundle.add_subparsers(dest="action", metavar="VIỆC", required=True)
    export = actions.add_parser("export", parents=[common], help="ghi các bản ghi cấp trên chưa có")
    _destination(export)
    export.add_argument(
        "--full", action="store_true", help="mọi bản ghi, không chỉ những gì chưa được xác nhận"
    )
    export.add_argument(
        "--for",
        dest="receiver",
        metavar="MÃ",
        help="văn phòng cấp trên nhận gói (mặc định: đơn vị ngay trên đơn vị của văn phòng)",
    )
    importing = actions.add_parser(
        "import", parents=[common], help="nhận các gói: mỗi gói nhận cả, hoặc bị từ chối kèm lý do"
    )
    importing.add_argument(
        "files", nargs="+", type=Path, metavar="TỆP", help="các tệp gói, hoặc thư mục chứa chúng"
    )
    importing.add_argument(
        "--dry-run",
        action="store_true",
        help="kiểm tra và in những gì sẽ thay đổi ở từng đơn vị, không thay đổi gì",
    )
    verify = actions.add_parser(
        "verify",
        parents=[common],
        help="kiểm tra một gói và cho biết trong đó có gì; không thay đổi gì",
    )
    verify.add_argument("file", type=Path, metavar="TỆP")
    directory = actions.add_parser(
        "directory", parents=[common], help="(Tỉnh Hội) ghi danh mục cho các văn phòng cấp dưới"
    )
    _destination(directory)
    directory.add_argument(
        "--again",
        action="store_true",
        help="ghi danh mục dù lần sửa này đã gửi rồi (một văn phòng làm mất)",
    )
    ack = actions.add_parser(
        "ack", parents=[common], help="xác nhận các gói đã nhận từ văn phòng cấp dưới"
    )
    _destination(ack)
    ack.add_argument("--unit", metavar="MÃ", help="chỉ các gói của văn phòng đơn vị này")
    ack.add_argument("--all", action="store_true", help="xác nhận lại mọi gói đã xác nhận")
    actions.add_parser(
        "quarantine", parents=[common], help="liệt kê các bản ghi bị giữ lại, kèm lý do"
    )
    return {"keys": _keys, "bundle": _bundle}


def _destination(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--to", required=True, type=Path, metavar="NƠI", help="một tệp, hoặc thư mục để ghi vào"
    )
    command.add_argument(
        "--armor", action="store_true", help="ghi dạng chữ để gửi thư điện tử, thay cho tệp zip"
    )


# ----------------------------------------------------------------- keys


def _keys(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.action == "show":
        return _show(store, out)
    if args.action == "enrol":
        from_bundle = keys.is_bundle_file(args.file)
        if from_bundle:
            entry = keys.enrol_from_bundle(
                store, args.file, unit=args.unit, fingerprint=args.fingerprint
            )
            printed = keys.fingerprint(entry.public_key)
        else:
            key = keys.read_public_key_file(args.file)
            printed = keys.fingerprint(key)
            if args.fingerprint and not keys.same_fingerprint(key, args.fingerprint):
                raise SyncError(
                    f"Dấu vân tay của khoá trong tệp là {printed}, khác với dấu vân tay đã đọc "
                    f"({args.fingerprint}). Không đăng ký: tệp có thể đã bị tráo. Hãy xin lại "
                    "tệp office.pub và đối chiếu lại qua điện thoại."
                )
            entry = keys.enrol(store, key, args.unit)
        out.print(
            f"Đã đăng ký khoá {entry.key} cho {store.units.path(entry.unit)}: từ nay nhận các "
            f"gói ký bằng khoá này cho đơn vị đó và các đơn vị cấp dưới của nó. Dấu vân tay: "
            f"{printed}.",
            markup=False,
        )
        if not args.fingerprint:
            out.print(
                "Hãy chắc chắn đã đối chiếu dấu vân tay này qua điện thoại với văn phòng đó; "
                "nếu khác, thu hồi ngay bằng «nhandao keys revoke " + entry.key + "».",
                markup=False,
            )
        if from_bundle:
            out.print(f"Hãy nhập lại gói bằng «nhandao bundle import {args.file}».", markup=False)
        _directory_hint(store, out)
        return EXIT_OK
    if args.action == "list":
        return _list(store, out)
    if args.action == "new":
        office = keys.new_office_key(store)
        out.print(
            f"Đã tạo cặp khoá mới {office.public.id_text}, dấu vân tay "
            f"{keys.fingerprint(office.public)}; khoá cũ không còn được dùng.",
            markup=False,
        )
        if keys.is_province_office(store):
            out.print(
                f"Đây là khoá của Tỉnh Hội: gửi tệp {keys.public_key_path(store)} cho mọi văn "
                "phòng; họ ghim lại khoá mới sau khi đối chiếu dấu vân tay qua điện thoại "
                "(«nhandao keys pin office.pub --replace»), nếu không sẽ từ chối gói danh mục.",
                markup=False,
            )
        else:
            out.print(
                f"Hãy gửi tệp {keys.public_key_path(store)} cho văn phòng cấp trên để đăng ký và "
                "đề nghị họ thu hồi khoá cũ; sau đó gửi một gói đầy đủ bằng «nhandao bundle "
                "export --full».",
                markup=False,
            )
        return EXIT_OK
    if args.action == "revoke":
        entry = keys.revoke(store, args.key)
        out.print(
            f"Đã thu hồi khoá {entry.key} của {store.units.name(entry.unit)} (ngày "
            f"{entry.revoked}): từ nay mọi gói ký bằng khoá này đều bị từ chối.",
            markup=False,
        )
        _directory_hint(store, out)
        return EXIT_OK
    key = keys.read_public_key_file(args.file)
    if args.national:
        keys.pin_national_key(store, key, replace=args.replace)
        out.print(
            f"Đã ghim khoá của Trung ương Hội {key.id_text}, dấu vân tay {keys.fingerprint(key)}: "
            "từ nay «nhandao bundle export» gửi dữ liệu của tỉnh lên Trung ương Hội.",
            markup=False,
        )
        return EXIT_OK
    keys.pin_province_key(store, key, replace=args.replace)
    out.print(
        f"Đã ghim khoá của Tỉnh Hội {key.id_text}, dấu vân tay {keys.fingerprint(key)}: từ nay "
        "chỉ nhận gói danh mục ký bằng khoá này.",
        markup=False,
    )
    return EXIT_OK


def _directory_hint(store: Store, out: Console) -> None:
    if keys.is_province_office(store) and not keys.is_national_office(store):
        out.print(
            f"Danh mục nay mang số hiệu {store.directory['revision']}. Hãy gửi gói danh mục mới "
            "cho các văn phòng: «nhandao bundle directory --to THƯ_MỤC».",
            markup=False,
        )


def _show(store: Store, out: Console) -> int:
    office = keys.office_key(store)
    unit = store.office.unit
    if office.created:
        out.print("Văn phòng chưa có cặp khoá: đã tạo cặp khoá mới.", markup=False)
    out.print(
        f"Khoá công khai của văn phòng {store.units.name(unit)} ({unit}), mã khoá "
        f"{office.public.id_text}:",
        markup=False,
    )
    out.print(keys.public_key_path(store).read_text(encoding="utf-8").rstrip(), markup=False)
    out.print(f"Dấu vân tay: {keys.fingerprint(office.public)}", markup=False)
    if keys.is_national_office(store):
        out.print(
            f"Đây là khoá của Trung ương Hội: gửi tệp {keys.public_key_path(store)} cho mọi Tỉnh "
            "Hội để họ ghim lại («nhandao keys pin office.pub --national»); hãy đọc dấu vân tay "
            "trên cho họ đối chiếu qua điện thoại.",
            markup=False,
        )
    elif keys.is_province_office(store):
        out.print(
            f"Đây là khoá của Tỉnh Hội: gửi tệp {keys.public_key_path(store)} cho mọi văn phòng "
            "cấp dưới để họ ghim lại («nhandao keys pin office.pub»); hãy đọc dấu vân tay trên "
            "cho họ đối chiếu qua điện thoại.",
            markup=False,
        )
    else:
        out.print(
            f"Gửi tệp {keys.public_key_path(store)} cho văn phòng cấp trên; khi họ đăng ký khoá, "
            "hãy đọc dấu vân tay trên cho họ đối chiếu qua điện thoại.",
            markup=False,
        )
    return EXIT_OK


def _list(store: Store, out: Console) -> int:
    province = keys.province_key(store)
    if keys.is_national_office(store):
        out.print("Văn phòng này là Trung ương Hội, cấp cao nhất.")
    elif keys.is_province_office(store):
        out.print("Văn phòng này là Tỉnh Hội: khoá của văn phòng là khoá của Tỉnh Hội.")
        national = keys.national_key(store)
        out.print(
            "Chưa ghim khoá của Trung ương Hội («nhandao keys pin TỆP --national»)."
            if national is None
            else f"Khoá của Trung ương Hội (đã ghim): {national.id_text}, dấu vân tay "
            f"{keys.fingerprint(national)}.",
            markup=False,
        )
    elif province is None:
        out.print(
            "Chưa ghim khoá của Tỉnh Hội: chưa nhận được gói danh mục nào. Ghim bằng «nhandao "
            "keys pin TỆP».",
            markup=False,
        )
    else:
        out.print(
            f"Khoá của Tỉnh Hội (đã ghim): {province.id_text}, dấu vân tay "
            f"{keys.fingerprint(province)}.",
            markup=False,
        )
    entries = keys.enrolments(store)
    if not entries:
        out.print("Chưa đăng ký khoá nào.")
        return EXIT_OK
    table = Table(title="Khoá đã đăng ký", title_justify="left")
    for header in ("Mã khoá", "Đơn vị", "Ngày đăng ký", "Đăng ký bởi", "Trạng thái"):
        table.add_column(header)
    for entry, name in keys.describe(store, entries):
        status = f"đã thu hồi ngày {entry.revoked}" if entry.revoked else "đang dùng"
        table.add_row(entry.key, f"{name}", entry.enrolled, entry.by, status)
    out.print(table)
    return EXIT_OK


# ----------------------------------------------------------------- bundles


def _bundle(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    action = args.action
    if action == "export":
        return _export(args, store, out)
    if action in ("import", "verify"):
        files = [args.file] if action == "verify" else _expanded(args.files)
        return _import(store, files, args.action == "verify" or args.dry_run, out, err)
    if action == "directory":
        sent = send.export_directory(store, args.to, armored=args.armor, again=args.again)
        if sent is None:
            out.print(send.directory_unchanged(store) + " Thêm --again để vẫn ghi.", markup=False)
            return EXIT_OK
        _key_created(store, sent, out)
        out.print(
            f"Đã ghi gói danh mục số hiệu {store.directory['revision']} ({sent.records} đơn vị, "
            f"{len(keys.enrolments(store))} khoá) vào {sent.path}. Hãy gửi cho mọi văn phòng "
            "cấp dưới; họ nhập bằng «nhandao bundle import».",
            markup=False,
        )
        return EXIT_OK
    if action == "ack":
        return _ack(args, store, out)
    return _quarantine(store, out)


def _expanded(paths: list[Path]) -> list[Path]:
    """The bundle files named: a folder stands for its .zip and .txt files, and a pattern
    (`E:\\*.zip`) is expanded here, since the Windows console passes it as typed."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in (".zip", ".txt"))
        elif not path.exists() and any(ch in str(path) for ch in "*?["):
            files += sorted(Path(p) for p in glob.glob(str(path)))
        else:
            files.append(path)
    return files or paths


def _key_created(store: Store, sent: send.Sent, out: Console) -> None:
    if not sent.key_created:
        return
    if keys.is_province_office(store):
        out.print(
            "Văn phòng chưa có cặp khoá nên đã tạo mới. Đây là khoá của Tỉnh Hội: hãy gửi khoá "
            "công khai («nhandao keys show») cho mọi văn phòng cấp dưới ghim lại, nếu không họ "
            "sẽ từ chối gói danh mục.",
            markup=False,
        )
        return
    out.print(
        "Văn phòng chưa có cặp khoá nên đã tạo mới. Hãy gửi khoá công khai («nhandao keys "
        "show») cho văn phòng cấp trên đăng ký, nếu không họ sẽ từ chối gói.",
        markup=False,
    )


def _export(args: argparse.Namespace, store: Store, out: Console) -> int:
    sent = send.export_records(store, args.to, full=args.full, armored=args.armor, to=args.receiver)
    if sent is None:
        out.print(
            "Văn phòng cấp trên đã xác nhận có mọi bản ghi của kho: không có gì mới để gửi, "
            "không ghi gói nào. Thêm --full để gửi toàn bộ.",
            markup=False,
        )
        return EXIT_OK
    _key_created(store, sent, out)
    receiver = store.units.name(sent.to) if sent.to in store.units else sent.to
    out.print(
        f"Đã ghi gói dữ liệu số {sent.sequence} ({format_number(sent.records)} bản ghi của "
        f"{sent.units} đơn vị) vào {sent.path}. Hãy gửi tệp này cho {receiver}; khi nhận được gói "
        "xác nhận của họ, nhập nó bằng «nhandao bundle import» để lần sau chỉ gửi phần mới.",
        markup=False,
    )
    return EXIT_OK


def _import(store: Store, files: list[Path], dry_run: bool, out: Console, err: Console) -> int:
    if len(files) > 1:
        with Progress(
            TextColumn("Đang nhập gói"), BarColumn(), MofNCompleteColumn(),
            console=err, transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task("import", total=len(files))
            reports = receive.import_bundles(
                store, files, dry_run=dry_run, progress=lambda _p: bar.advance(task)
            )
    else:
        reports = receive.import_bundles(store, files, dry_run=dry_run)
    for report in reports:
        _print_report(store, report, dry_run, out, err)
    refused = sum(1 for r in reports if r.refused and not r.awaits_directory)
    if len(reports) > 1:
        done = "kiểm tra" if dry_run else "nhập"
        out.print(
            f"Đã {done} {len(reports) - refused} trên {len(reports)} gói"
            + (f"; {refused} gói bị từ chối." if refused else "."),
            markup=False,
        )
    return EXIT_ERROR if refused else EXIT_OK


def _print_report(
    store: Store, report: ImportReport, dry_run: bool, out: Console, err: Console
) -> None:
    name = Path(report.source).name
    if report.awaits_directory:
        out.print(
            f"Gói {name} ký bằng khoá {report.refusal.key_id} mà gói danh mục cùng lần nhập "  # type: ignore[union-attr]
            "đăng ký: sẽ được kiểm tra và nhập ngay sau gói danh mục.",
            markup=False,
        )
        return
    if report.refused:
        assert report.refusal is not None
        err.print(f"Gói {name} bị từ chối: {report.refusal}", style="red", markup=False)
        return
    sender = store.units.name(report.sender) if report.sender in store.units else report.sender
    what = f"{KIND_LABELS[report.kind or 'records']} số {report.sequence} của {sender}"
    if report.status == "already":
        out.print(f"Gói {name} ({what}) đã được nhập trước đó; không có gì thay đổi.", markup=False)
        return
    for warning in report.warnings:
        err.print(f"Lưu ý: {warning}", style="yellow", markup=False)
    if report.kind == "directory":
        verb = "Gói hợp lệ, chưa nhận" if dry_run else "Đã nhận"
        out.print(
            f"{verb} danh mục số hiệu {report.directory_revision} của Tỉnh Hội ({name}).",
            markup=False,
        )
        return
    if report.kind == "ack":
        _print_ack(store, report, dry_run, name, out)
        return
    totals = ", ".join(
        f"{format_number(report.total(s))} {label}" for s, label in STATUS_LABELS.items()
    )
    verb = "sẽ nhập (chạy thử, chưa thay đổi gì)" if dry_run else "đã nhập"
    out.print(f"Gói {name} ({what}): {verb}: {totals}.", markup=False)
    if dry_run:
        out.print(_counts_table(store, report))
    for item in report.held:
        for reason in item.reasons:
            out.print(f"- Bị giữ lại: {reason}", markup=False)
    if report.held:
        out.print(
            f"{len(report.held)} bản ghi bị giữ lại (không nhập, không bỏ): chúng được ghi trong "
            "gói xác nhận gửi lại văn phòng gửi để họ sửa rồi gửi lại.",
            markup=False,
        )
    for merged in report.conflicts:
        out.print(
            f"- Xung đột: {KINDS[merged.kind].label} mã «{merged.key}» được sửa cùng lúc ở hai "
            "nơi; bản sửa sau cùng được dùng, bản kia giữ trong conflicts.json để xem lại.",
            markup=False,
        )


def _counts_table(store: Store, report: ImportReport) -> Table:
    table = Table(title="Theo đơn vị", title_justify="left")
    table.add_column("Đơn vị")
    for label in STATUS_LABELS.values():
        table.add_column(label.capitalize(), justify="right")
    for owner in sorted(report.counts):
        counts: Counter[str] = report.counts[owner]
        name = report.unit_name(store, owner)
        table.add_row(f"{name} ({owner})", *(format_number(counts[s]) for s in STATUS_LABELS))
    return table


def _print_ack(store: Store, report: ImportReport, dry_run: bool, name: str, out: Console) -> None:
    result = report.ack
    assert result is not None
    receiver = store.units.name(result.receiver)
    numbers = ", ".join(str(n) for n in result.acknowledged) or "không gói nào"
    verb = "Gói hợp lệ: " if dry_run else ""
    out.print(
        f"{verb}{receiver} xác nhận đã nhận gói số {numbers} của văn phòng này ({name}).",
        markup=False,
    )
    if result.unknown:
        out.print(
            "Gói xác nhận còn nói về gói số "
            + ", ".join(str(n) for n in result.unknown)
            + " mà sổ gói của văn phòng này không có; bỏ qua.",
            markup=False,
        )
    for held in result.quarantined:
        for reason in held["reasons"]:
            out.print(f"- Bị giữ lại ở {receiver}: {reason}", markup=False)
    if result.quarantined:
        out.print(
            f"{len(result.quarantined)} bản ghi bị {receiver} giữ lại: hãy sửa chúng rồi xuất "
            "gói mới; các bản ghi này sẽ được gửi lại.",
            markup=False,
        )


def _ack(args: argparse.Namespace, store: Store, out: Console) -> int:
    pending = send.pending_acks(store, again=args.all)
    units = [args.unit] if args.unit else sorted(pending)
    if not units or (args.unit and args.unit not in pending):
        out.print(
            "Không có gói nào đang chờ xác nhận"
            + (f" của đơn vị {args.unit}" if args.unit else "")
            + "; không ghi gói xác nhận nào.",
            markup=False,
        )
        return EXIT_OK
    if len(units) > 1 and not args.to.is_dir():
        raise SyncError(
            f"Có gói của {len(units)} văn phòng đang chờ xác nhận: --to phải là một thư mục "
            "(mỗi văn phòng một tệp), hoặc chọn một văn phòng bằng --unit."
        )
    for unit in units:
        sent = send.export_ack(store, args.to, unit, again=args.all, armored=args.armor)
        _key_created(store, sent, out)
        out.print(
            f"Đã ghi gói xác nhận cho {store.units.name(unit)} ({sent.records} gói) vào "
            f"{sent.path}. Hãy gửi tệp này cho văn phòng đó.",
            markup=False,
        )
    return EXIT_OK


def _quarantine(store: Store, out: Console) -> int:
    held = receive.held_records(store)
    if not held:
        out.print("Không có bản ghi nào bị giữ lại.")
        return EXIT_OK
    out.print(f"{len(held)} bản ghi bị giữ lại (không nhập, chờ văn phòng gửi sửa):")
    for record in held:
        sender = store.units.name(record["sender"]) if record["sender"] in store.units else ""
        for reason in record["reasons"]:
            out.print(f"- {reason} (gói số {record['sequence']} của {sender})", markup=False)
    return EXIT_OK
