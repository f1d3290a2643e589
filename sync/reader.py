"""Reading a bundle as hostile input: every check of docs/BUNDLE.md, in order, before any use.

1. the file: its size, armored text read back, a zip at all (not cut short);
2. the zip: member count, allowed names only (no `../`, absolute or backslash names), no
   name twice, no encrypted member, only stored or deflated members, no member expanding
   beyond the caps;
3. the signature of `manifest.json`, by a key this office trusts, checked before the manifest
   is parsed; the sender is the unit the key is enrolled for, never what the manifest says.
   A key never enrolled here is checked with the public key the manifest carries (`public`,
   the only thing read from the manifest before its signature is checked): when it verifies,
   the bundle is refused with UnknownKey, which carries that key for a person to enrol after
   checking its fingerprint by phone;
4. the manifest: its exact fields, the signed comment matching it, the key it carries being
   the signing key, every data file listed with its size and SHA-256 and nothing else in the
   zip;
5. for records, each line a JSON object with an envelope, owned by the unit its file names.

Every JSON part is read strictly (store/strict_json.py): a key twice in one object (which
value would another reader take?) or an integer beyond 64 bits refuses the bundle, and numbers
are JSON integers where integers belong (`true` and `1.0` are not).

Any failure refuses the whole bundle with BundleRefused, whose message says in Vietnamese what
is wrong and what to do. Nothing here writes anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
import sys
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import orjson

from campaign.records import KINDS as RECORD_KINDS
from campaign.units import UNIT_CODE
from store import hlc, strict_json
from store.gazetteer import successors
from store.store import Store
from sync import armor, bundle, keys, minisign
from sync.errors import BundleRefused, UnknownKey

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ARMORED_BYTES = 2 * MAX_FILE_BYTES
MAX_MEMBERS = 4096
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_SIGNATURE_BYTES = 4096
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all data files, uncompressed
# Records compress about 8 times; a member expanding 100 times is a zip bomb.
MAX_RATIO = 100
_RATIO_FROM_BYTES = 64 * 1024  # a small member cannot be a bomb; its ratio is not checked
MAX_LINE_HISTORY = 1000
_ZIP_MAGIC = b"PK\x03\x04"
# What zipfile raises on a malformed archive, besides BadZipFile: a hostile file may reach
# any of them.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
               NotImplementedError, RuntimeError, IndexError, KeyError, struct.error)  # fmt: skip
_KEY_ID = re.compile(r"[0-9A-F]{16}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
LINE_FIELDS = frozenset({"kind", "id", "owner", "v", "prev", "history", "deleted", "by", "data"})
_LINE_REQUIRED = frozenset({"kind", "id", "owner", "v", "by", "data"})

NOTHING = "Chưa nhập gì vào kho."
RESEND = "Hãy đề nghị văn phòng gửi xuất lại gói bằng nhandao và gửi lại."
TAMPERED = "Gói đã bị sửa sau khi ký hoặc bị hỏng trên đường gửi; không dùng được. " + RESEND


@dataclass
class Bundle:
    """A bundle whose signature, manifest and data files were checked."""

    manifest: dict
    manifest_bytes: bytes
    digest: str  # SHA-256 of the manifest's bytes
    signer: keys.Signer
    files: dict[str, bytes]  # data files by path, each matching its hash in the manifest

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    @property
    def sender(self) -> str:
        return self.signer.unit

    @property
    def sequence(self) -> int:
        return self.manifest["sequence"]

    @property
    def key(self) -> str:
        return self.manifest["key"]

    @property
    def created(self) -> date | None:
        return created_date(self.manifest["created"])


def created_date(version: str) -> date | None:
    """The day (this computer's time zone) of a version's clock; None when it has none."""
    try:
        milliseconds = hlc.parse(version)[0]
        return datetime.fromtimestamp(milliseconds / 1000).date()
    except (ValueError, OverflowError, OSError):
        return None


def _refuse(reason: str, message: str) -> BundleRefused:
    return BundleRefused(reason, message)


def read_source(path: Path) -> bytes:
    """The bytes of a bundle file, from its zip or its armored text."""
    try:
        size = path.stat().st_size
        if size > MAX_ARMORED_BYTES:
            raise _too_large(path, size)
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARMORED_BYTES + 1)
    except OSError as error:
        raise _refuse(
            "unreadable",
            f"Không mở được tệp {path}: {error.strerror or error}. Hãy kiểm tra xem tệp còn ở "
            f"đó và USB còn cắm, rồi chọn lại tệp. {NOTHING}",
        ) from None
    return unwrap(data, str(path))


def _too_large(name: object, size: int) -> BundleRefused:
    return _refuse(
        "too-large",
        f"Tệp {name} lớn {size / 1e6:.0f} MB, quá giới hạn {MAX_FILE_BYTES // 2**20} MiB của "
        f"một gói. Một gói bình thường nhỏ hơn nhiều; hãy kiểm tra xem đã chọn đúng tệp chưa. "
        f"{NOTHING}",
    )


def unwrap(data: bytes, name: str) -> bytes:
    """The zip bytes of a bundle given as a zip or as armored text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # A message saved as «Unicode» by an old Windows Notepad: UTF-16 with its mark.
        with contextlib.suppress(UnicodeDecodeError):
            data = data.decode("utf-16").encode("utf-8")
    if not data.startswith(_ZIP_MAGIC) and armor.looks_armored(data):
        try:
            data = armor.dearmor(data)
        except armor.ArmorError as error:
            detail = {
                "cut": "thư bị cắt mất phần cuối",
                "checksum": "mã kiểm tra không khớp, nội dung đã bị thay đổi trên đường gửi",
            }.get(error.problem, "phần chữ giữa hai dòng BEGIN và END bị hỏng")
            raise _refuse(
                "armor",
                f"Không đọc được gói dạng chữ trong {name}: {detail}. Hãy chép lại nguyên văn cả "
                f"khối từ dòng «{armor.BEGIN}» đến dòng «{armor.END}», hoặc xin gửi lại gói dạng "
                f"tệp đính kèm. {NOTHING}",
            ) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name, len(data))
    return data


def read_bundle(data: bytes, store: Store, name: str = "gói") -> Bundle:
    """Check a bundle's zip bytes against everything the format requires."""
    archive = _open_zip(data, name)
    with archive:
        infos = _check_members(archive, name)
        signature_bytes = _read(archive, infos[bundle.SIGNATURE], MAX_SIGNATURE_BYTES, name)
        manifest_bytes = _read(archive, infos[bundle.MANIFEST], MAX_MANIFEST_BYTES, name)
        signature = _parse_signature(signature_bytes)
        signer = keys.known_signer(store, signature.key_id)
        if signer is None:
            raise _unknown_key(store, signature, manifest_bytes, name)
        _verify(signature, manifest_bytes, signer.key)
        manifest = _parse_manifest(manifest_bytes)
        _check_claims(store, manifest, signature.trusted_comment, signer)
        files = _read_data_files(archive, infos, manifest, name)
    return Bundle(manifest, manifest_bytes, bundle.digest(manifest_bytes), signer, files)


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    if not data.startswith(_ZIP_MAGIC):
        raise _refuse(
            "not-zip",
            f"Tệp {name} không phải gói dữ liệu nhandao (không phải tệp zip, cũng không có khối "
            f"«{armor.BEGIN}»). Hãy kiểm tra xem đã chọn đúng tệp chưa. {NOTHING}",
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise _refuse(
            "truncated",
            f"Tệp {name} bị cắt cụt hoặc hỏng (không đọc được mục lục của tệp zip), có thể do "
            f"chép chưa xong hoặc rút USB quá sớm. Hãy chép lại tệp hoặc xin gửi lại. {NOTHING}",
        ) from None


def _check_members(archive: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(
            "members",
            f"Tệp {name} chứa {len(infos)} mục, quá giới hạn {MAX_MEMBERS} của một gói. "
            f"Đây không phải gói do nhandao tạo ra; hãy kiểm tra xem đã chọn đúng tệp chưa. "
            f"{NOTHING}",
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        member = info.orig_filename
        if member != info.filename or not bundle.member_allowed(member):
            raise _refuse(
                "member-name",
                f"Tệp {name} chứa mục «{_shown(member)}», không phải tên mà định dạng gói cho "
                "phép (chỉ manifest.json, manifest.json.minisig, directory.json, ack.json và "
                f"records/MÃ.jsonl). Gói này có thể là gói độc hại: đừng mở nó bằng chương "
                f"trình giải nén, hãy xoá nó và báo cho văn phòng gửi. {NOTHING}",
            )
        if member in by_name:
            raise _refuse(
                "duplicate-member",
                f"Tệp {name} chứa hai mục cùng tên «{member}»: không biết mục nào là thật. "
                f"{TAMPERED} {NOTHING}",
            )
        if info.flag_bits & 0x1:
            raise _refuse(
                "encrypted",
                f"Mục «{member}» trong tệp {name} bị mã hoá bằng mật khẩu; gói nhandao không "
                f"bao giờ mã hoá như vậy. {RESEND} {NOTHING}",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                "compression",
                f"Mục «{member}» trong tệp {name} dùng kiểu nén không được hỗ trợ. {RESEND} "
                f"{NOTHING}",
            )
        total += info.file_size
        expands = info.file_size > _RATIO_FROM_BYTES and (
            info.file_size > MAX_RATIO * max(info.compress_size, 1)
        )
        if expands or total > MAX_TOTAL_BYTES:
            raise _refuse(
                "zip-bomb",
                f"Mục «{member}» trong tệp {name} giải nén ra {info.file_size / 1e6:.0f} MB từ "
                f"{info.compress_size / 1e3:.0f} kB: vượt giới hạn an toàn (bom nén). Gói này "
                f"không do nhandao tạo ra; hãy xoá nó. {NOTHING}",
            )
        by_name[member] = info
    for required, what in ((bundle.MANIFEST, "bản kê"), (bundle.SIGNATURE, "chữ ký")):
        if required not in by_name:
            raise _refuse(
                "missing-manifest",
                f"Tệp {name} thiếu {required} ({what} của gói), nên không thể kiểm tra. "
                f"{RESEND} {NOTHING}",
            )
    return by_name


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    if info.file_size > limit:
        raise _refuse(
            "too-large",
            f"Mục «{info.filename}» trong tệp {name} lớn quá giới hạn. {RESEND} {NOTHING}",
        )
    try:
        with archive.open(info) as handle:
            content = handle.read(limit + 1)
    except (*_ZIP_ERRORS, zlib.error):
        raise _refuse(
            "damaged",
            f"Mục «{info.filename}» trong tệp {name} bị hỏng (dữ liệu nén sai hoặc tệp bị cắt). "
            f"{TAMPERED} {NOTHING}",
        ) from None
    if len(content) != info.file_size:
        raise _refuse(
            "damaged",
            f"Mục «{info.filename}» trong tệp {name} không đúng kích thước ghi trong tệp zip. "
            f"{TAMPERED} {NOTHING}",
        )
    return content


def _parse_signature(signature_bytes: bytes) -> minisign.Signature:
    try:
        return minisign.parse_signature(signature_bytes)
    except minisign.MinisignError:
        raise _refuse(
            "signature-format",
            f"Tệp chữ ký manifest.json.minisig của gói không đúng định dạng minisign "
            f"(Ed25519 băm trước). {TAMPERED} {NOTHING}",
        ) from None


def _verify(signature: minisign.Signature, manifest_bytes: bytes, key: minisign.PublicKey) -> None:
    try:
        minisign.verify(signature, manifest_bytes, key)
    except minisign.MinisignError:
        raise _refuse(
            "signature",
            f"Chữ ký của gói không khớp với bản kê manifest.json (khoá {key.id_text}). "
            f"{TAMPERED} {NOTHING}",
        ) from None


def _printed(key_id: bytes) -> str:
    return f"{int.from_bytes(key_id, 'little'):016X}"


def _carried_key(manifest_bytes: bytes, key_id: bytes) -> minisign.PublicKey:
    """The public key a manifest carries, read before its signature is checked: only the
    `public` field is looked at, and only to check the signature with it."""
    try:
        manifest = strict_json.loads(manifest_bytes, written=strict_json.indented)
        line = manifest.get("public") if isinstance(manifest, dict) else None
        public = minisign.parse_public_key(line) if isinstance(line, str) else None
    except strict_json.StrictJSONError as error:
        raise _bad_manifest(error.msg) from None
    except (orjson.JSONDecodeError, minisign.MinisignError):
        public = None
    if public is None:
        raise _refuse(
            "public-key",
            f"Gói được ký bằng khoá {_printed(key_id)}, chưa được đăng ký ở văn phòng này, và "
            "bản kê không mang khoá công khai của người ký (mục «public»), nên không kiểm tra "
            f"được chữ ký cũng như không đăng ký được khoá từ gói. Gói có thể do một phiên bản "
            f"nhandao cũ viết ra. {RESEND} {NOTHING}",
        )
    if public.key_id != key_id:
        raise _refuse(
            "public-key",
            f"Bản kê mang khoá công khai {public.id_text} nhưng gói được ký bằng khoá "
            f"{_printed(key_id)}. {TAMPERED} {NOTHING}",
        )
    return public


def _unknown_key(
    store: Store, signature: minisign.Signature, manifest_bytes: bytes, name: str
) -> BundleRefused:
    """The refusal of a bundle signed by a key never enrolled here: UnknownKey when the key
    the manifest carries verifies the signature, and the manifest is well formed."""
    public = _carried_key(manifest_bytes, signature.key_id)
    _verify(signature, manifest_bytes, public)
    manifest = _parse_manifest(manifest_bytes)
    _check_comment(manifest, signature.trusted_comment)
    if manifest["key"] != public.id_text:
        raise _manifest_key(manifest, public)
    claimed = manifest["sender"]
    units, office = store.units, store.office.unit
    printed = keys.fingerprint(public)
    who = _unit_name(store, claimed)
    if claimed in units and units.is_within(claimed, office) and claimed != office:
        todo = (
            f"Hãy gọi điện cho văn phòng {who}, nhờ họ đọc dấu vân tay mà lệnh «nhandao keys "
            "show» in ra ở máy của họ và so với dấu vân tay trên. Chỉ khi khớp từng chữ số, "
            f"hãy đăng ký khoá này cho {who} (màn hình Nhận gói, hoặc lệnh «nhandao keys enrol "
            f'{name} --unit {claimed} --fingerprint "SỐ_ĐỌC_QUA_ĐIỆN_THOẠI"») rồi nhập lại '
            "gói. Nếu "
            "không khớp, đừng đăng ký: gói có thể là giả mạo."
        )
    elif claimed in units and units.is_within(office, claimed):
        todo = (
            "Gói tự ghi là của văn phòng cấp trên: hãy nhập gói danh mục mới nhất của Tỉnh "
            "Hội (nếu Tỉnh Hội đã đổi khoá, hãy ghim lại khoá của Tỉnh Hội bằng «nhandao keys "
            "pin TỆP --replace» sau khi đối chiếu dấu vân tay qua điện thoại)."
        )
    else:
        todo = (
            f"{who[0].upper()}{who[1:]} không thuộc phạm vi của văn phòng này nên không đăng "
            "ký khoá đó ở đây được; hãy chuyển gói đến văn phòng cấp trên trực tiếp của đơn "
            "vị đó."
        )
    return UnknownKey(
        f"Gói {name} được ký bằng khoá {public.id_text}, chưa được đăng ký ở văn phòng này. "
        f"Gói tự ghi là do {who} gửi; dấu vân tay của khoá: {printed}. {todo} {NOTHING}",
        claimed_sender=claimed,
        public_key=public,
        fingerprint=printed,
        bundle_name=name,
        sequence=manifest["sequence"],
        created=created_date(manifest["created"]),
    )


def _bad_manifest(detail: str) -> BundleRefused:
    return _refuse(
        "manifest",
        f"Bản kê manifest.json của gói không đúng định dạng: {detail}. {RESEND} {NOTHING}",
    )


def _parse_manifest(manifest_bytes: bytes) -> dict:
    try:
        manifest = strict_json.loads(manifest_bytes, written=strict_json.indented)
    except strict_json.StrictJSONError as error:
        raise _bad_manifest(error.msg) from None
    except orjson.JSONDecodeError:
        raise _refuse(
            "manifest-json",
            f"Bản kê manifest.json của gói không phải JSON hợp lệ (dù chữ ký đúng). {RESEND} "
            f"{NOTHING}",
        ) from None
    if not isinstance(manifest, dict):
        raise _bad_manifest("phải là một đối tượng JSON {...}")
    if manifest.get("format") != bundle.FORMAT:
        raise _refuse(
            "format",
            f"Tệp không phải gói nhandao: «format» là «{_shown(manifest.get('format'))}», "
            f"phải là «{bundle.FORMAT}». Hãy kiểm tra xem đã chọn đúng tệp chưa. {NOTHING}",
        )
    version = manifest.get("version")
    if version is not None and version.__class__ is not int:  # true, 1.0, "1": not a version
        raise _bad_manifest(f"«version» phải là một số nguyên, không phải «{_shown(version)}»")
    if version != bundle.VERSION:
        raise _refuse(
            "version",
            f"Gói có phiên bản định dạng «{_shown(version)}»; chương trình này đọc phiên bản "
            f"{bundle.VERSION}. Hãy cập nhật nhandao ở cả hai văn phòng cho cùng phiên bản rồi "
            f"xuất lại gói. {NOTHING}",
        )
    missing = [f for f in bundle.MANIFEST_FIELDS if f not in manifest]
    extra = [f for f in manifest if f not in bundle.MANIFEST_FIELDS]
    if missing or extra:
        parts = []
        if missing:
            parts.append("thiếu " + ", ".join(f"«{f}»" for f in missing))
        if extra:
            parts.append("có mục lạ " + ", ".join(f"«{_shown(f)}»" for f in extra))
        raise _bad_manifest("; ".join(parts))
    kind = manifest["kind"]
    if kind not in bundle.KINDS:
        raise _bad_manifest(f"loại gói «{_shown(kind)}» không có")
    _check_uuid(manifest["bundle"])
    for field_name in ("sender",):
        if not isinstance(manifest[field_name], str) or not UNIT_CODE.fullmatch(
            manifest[field_name]
        ):
            raise _bad_manifest(f"«{field_name}» phải là mã đơn vị")
    if manifest["to"] is not None and (
        not isinstance(manifest["to"], str) or not UNIT_CODE.fullmatch(manifest["to"])
    ):
        raise _bad_manifest("«to» phải là mã đơn vị hoặc null")
    if not isinstance(manifest["key"], str) or not _KEY_ID.fullmatch(manifest["key"]):
        raise _bad_manifest("«key» phải là mã khoá 16 chữ số hệ 16")
    if not _is_public_line(manifest["public"]):
        raise _bad_manifest(
            "«public» phải là dòng base64 của khoá công khai (dòng thứ hai của tệp office.pub)"
        )
    if not _is_count(manifest["sequence"]) or manifest["sequence"] < 1:
        raise _bad_manifest("«sequence» phải là số nguyên từ 1 trở lên")
    try:
        hlc.parse(manifest["created"] if isinstance(manifest["created"], str) else "")
    except ValueError:
        raise _bad_manifest("«created» phải là một phiên bản đồng hồ") from None
    _check_files(manifest)
    return manifest


def _check_uuid(value: object) -> None:
    try:
        valid = isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        valid = False
    if not valid:
        raise _bad_manifest("«bundle» phải là một UUID viết thường")


def _is_public_line(value: object) -> bool:
    """The base64 line of a public key file, exactly as our writer puts it."""
    if not isinstance(value, str) or len(value) > 100:
        return False
    try:
        return minisign.parse_public_key(value).line == value
    except minisign.MinisignError:
        return False


def _is_count(value: object) -> bool:
    """A JSON integer from 0 up: never `true` (Python's True is an int) nor `1.0`."""
    return value.__class__ is int and 0 <= value < 2**53  # type: ignore[operator]


def _check_files(manifest: dict) -> None:
    files = manifest["files"]
    if not isinstance(files, list) or not files or len(files) > MAX_MEMBERS:
        raise _bad_manifest("«files» phải là một danh sách tệp dữ liệu, không rỗng")
    seen = set()
    for item in files:
        if not isinstance(item, dict) or set(item) != set(bundle.FILE_FIELDS):
            raise _bad_manifest(
                "mỗi tệp trong «files» có đúng các mục «path», «sha256», «size», «records»"
            )
        path = item["path"]
        if not isinstance(path, str) or not bundle.data_file_allowed(manifest["kind"], path):
            raise _bad_manifest(
                f"tệp «{_shown(path)}» không được có trong gói loại «{manifest['kind']}»"
            )
        if path in seen:
            raise _bad_manifest(f"tệp «{path}» được kê hai lần")
        seen.add(path)
        if not isinstance(item["sha256"], str) or not _SHA256.fullmatch(item["sha256"]):
            raise _bad_manifest(f"mã băm SHA-256 của «{path}» phải gồm 64 chữ số hệ 16 viết thường")
        if not _is_count(item["size"]) or not _is_count(item["records"]):
            raise _bad_manifest(f"«size» và «records» của «{path}» phải là số nguyên không âm")
    if manifest["kind"] != "records" and len(files) != 1:
        raise _bad_manifest(f"gói loại «{manifest['kind']}» có đúng một tệp dữ liệu")


def _check_comment(manifest: dict, comment: str) -> None:
    if comment != bundle.trusted_comment(manifest):
        raise _refuse(
            "trusted-comment",
            f"Dòng ghi chú đã ký («{_shown(comment)}») không khớp với bản kê của gói. "
            f"{TAMPERED} {NOTHING}",
        )


def _manifest_key(manifest: dict, key: minisign.PublicKey) -> BundleRefused:
    return _refuse(
        "manifest-key",
        f"Bản kê ghi khoá {manifest['key']} nhưng gói được ký bằng khoá {key.id_text}. "
        f"{TAMPERED} {NOTHING}",
    )


def _check_claims(store: Store, manifest: dict, comment: str, signer: keys.Signer) -> None:
    """What the signed manifest says must agree with the signature and the key's owner."""
    _check_comment(manifest, comment)
    if manifest["key"] != signer.key.id_text:
        raise _manifest_key(manifest, signer.key)
    if manifest["public"] != signer.key.line:
        raise _refuse(
            "public-key",
            f"Bản kê mang một khoá công khai khác với khoá {signer.key.id_text} mà văn phòng "
            f"này tin cho {_unit_name(store, signer.unit)}, dù chữ ký đúng. {TAMPERED} "
            f"{NOTHING}",
        )
    # A key enrolled for a unit of 2019 signs for the 2025 unit it went to, once its office
    # has migrated (until the province revokes it and enrols the office's new one).
    if manifest["sender"] != signer.unit and manifest["sender"] not in successors(signer.unit):
        claimed = _unit_name(store, manifest["sender"])
        raise _refuse(
            "sender",
            f"Bản kê ghi gói gửi từ {claimed}, nhưng khoá ký gói ({signer.key.id_text}) được "
            f"đăng ký cho {_unit_name(store, signer.unit)}. Người gửi của một gói là chủ của "
            f"khoá ký, không phải điều bản kê tự ghi; gói này không được nhận. Hãy gọi điện cho "
            f"văn phòng đã gửi gói để tìm hiểu. {NOTHING}",
        )


def _read_data_files(
    archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], manifest: dict, name: str
) -> dict[str, bytes]:
    listed = {item["path"]: item for item in manifest["files"]}
    present = set(infos) - {bundle.MANIFEST, bundle.SIGNATURE}
    extra, missing = sorted(present - listed.keys()), sorted(listed.keys() - present)
    if extra:
        raise _refuse(
            "extra-member",
            f"Tệp {name} có mục «{extra[0]}» không được kê trong bản kê đã ký: có người đã thêm "
            f"vào sau khi ký. {TAMPERED} {NOTHING}",
        )
    if missing:
        raise _refuse(
            "missing-member",
            f"Bản kê của gói kê tệp «{missing[0]}» nhưng tệp đó không có trong gói. {TAMPERED} "
            f"{NOTHING}",
        )
    files = {}
    for path, item in listed.items():
        info = infos[path]
        if info.file_size != item["size"]:
            raise _refuse(
                "size",
                f"Tệp «{path}» trong gói lớn {info.file_size} byte, bản kê ghi {item['size']} "
                f"byte. {TAMPERED} {NOTHING}",
            )
        content = _read(archive, info, item["size"], name)
        if hashlib.sha256(content).hexdigest() != item["sha256"]:
            raise _refuse(
                "hash",
                f"Nội dung tệp «{path}» trong gói không khớp với mã băm trong bản kê đã ký. "
                f"{TAMPERED} {NOTHING}",
            )
        files[path] = content
    return files


# ----------------------------------------------------------------- records files


def record_lines(found: Bundle) -> list[dict]:
    """Every record line of a records bundle, as parsed (a dict with `kind`, `id`, `owner`,
    `v`, `by`, `data` and maybe `prev`, `history`, `deleted`); BundleRefused when a line is not
    a record with an envelope of the right types, owned by the unit its file names."""
    lines: list[dict] = []
    seen: set[tuple[str, str]] = set()
    counts = {item["path"]: item["records"] for item in found.manifest["files"]}
    loads = strict_json.loads  # each line as sync/send.py writes it: compact orjson
    intern = sys.intern  # values that repeat are one object each (`share_values`)
    for path, content in found.files.items():
        owner = bundle.unit_of_records_file(path)
        parts = content.split(b"\n")
        if parts and parts[-1] == b"":
            parts.pop()
        if len(parts) != counts[path]:
            raise _refuse(
                "count",
                f"Tệp «{path}» có {len(parts)} dòng, bản kê ghi {counts[path]} bản ghi. "
                f"{TAMPERED} {NOTHING}",
            )
        try:
            rows = [loads(part) for part in parts]
        except orjson.JSONDecodeError:
            number, error = next(
                (n, e) for n, part in enumerate(parts, start=1) if (e := _refusal(part))
            )
            if isinstance(error, strict_json.StrictJSONError):
                raise _bad_line(path, number, f"có {error.msg}") from None
            raise _bad_line(path, number, "không phải JSON hợp lệ") from None
        for number, raw in enumerate(rows, start=1):
            problem = _line_problem(raw, owner)
            if problem:
                raise _bad_line(path, number, problem)
            pair = (raw["kind"], raw["id"])
            if pair in seen:
                raise _bad_line(
                    path, number, f"bản ghi {pair[0]} «{pair[1]}» xuất hiện hai lần trong gói"
                )
            seen.add(pair)
            raw["owner"], raw["by"] = intern(raw["owner"]), intern(raw["by"])
        lines += rows
    return lines


def _refusal(part: bytes) -> orjson.JSONDecodeError | None:
    """Why a line does not read strictly; None when it does."""
    try:
        strict_json.loads(part)
    except orjson.JSONDecodeError as error:
        return error
    return None


def _bad_line(path: str, number: int, detail: str) -> BundleRefused:
    return _refuse(
        "records-json",
        f"Dòng {number} của tệp «{path}» trong gói {detail}. Gói có chữ ký đúng nhưng do một "
        f"chương trình khác nhandao viết ra hoặc bị lỗi khi xuất. {RESEND} {NOTHING}",
    )


def _line_problem(raw: object, owner: str) -> str | None:
    """What makes a parsed line not a record line, in Vietnamese; None when it is one."""
    if raw.__class__ is not dict:
        return "không phải một đối tượng JSON {...}"
    assert isinstance(raw, dict)
    fields = raw.keys()
    if not (fields <= LINE_FIELDS and fields >= _LINE_REQUIRED):
        missing = ", ".join(sorted(_LINE_REQUIRED - fields))
        extra = ", ".join(_shown(e) for e in sorted(fields - LINE_FIELDS))
        detail = "; ".join(
            p for p in (missing and f"thiếu {missing}", extra and f"có mục lạ {extra}") if p
        )
        return f"không đúng dạng bản ghi ({detail})"
    if raw["kind"] not in RECORD_KINDS:
        return f"có loại bản ghi «{_shown(raw['kind'])}» không có"
    for name in ("id", "owner", "v", "by"):
        value = raw[name]
        if value.__class__ is not str or not value:
            return f"có «{name}» không phải chữ"
    data = raw["data"]
    if data.__class__ is not dict:
        return "có «data» không phải đối tượng JSON"
    prev = raw.get("prev")
    if prev is not None and prev.__class__ is not str:
        return "có «prev» không phải chữ"
    history = raw.get("history")
    if history is not None and (
        history.__class__ is not list
        or len(history) > MAX_LINE_HISTORY
        or not all(h.__class__ is str for h in history)
    ):
        return "có «history» không phải danh sách phiên bản"
    deleted = raw.get("deleted")
    if deleted is not None and deleted is not True and deleted is not False:
        return "có «deleted» không phải true hoặc false"
    if "deleted" in data:
        return "ghi «deleted» trong «data»; nó thuộc phần bao bản ghi"
    if raw["owner"] != owner:
        return f"thuộc đơn vị «{_shown(raw['owner'])}», không phải «{owner}» của tệp"
    return None


def _unit_name(store: Store, code: str) -> str:
    return f"{store.units.name(code)} ({code})" if code in store.units else f"đơn vị «{code}»"


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode("utf-8", "replace")
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 60 else text[:57] + "…"
