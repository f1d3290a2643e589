"""The office's key pair, the pinned province key, and the keys enrolled for units below.

    keys/office.key     this office's Ed25519 private key (PKCS#8 PEM; 0600, folder 0700)
    keys/office.pub     its public key in minisign's format, to send to the office above
    keys/province.pub   the province's public key, pinned at `nhandao init --province-key`
    keys/national.pub   at a province office, the central office's key (`keys pin --national`)

Enrolled keys live in the directory (`directory.json`, list `keys`): the province enrols the
keys of the offices below it, a district office those of its communes. An entry trusts one key
for one unit's subtree. A revoked key is never trusted again, even when a later directory from
the province still lists it without the revocation.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from campaign.dates import format_date
from store.files import write_atomic
from store.gazetteer import NATIONAL as NATIONAL_UNIT
from store.store import Store
from sync import armor, minisign
from sync.errors import BundleRefused, SyncError, UnknownKey
from sync.minisign import MinisignError, PublicKey

KEYS = "keys"
PRIVATE = "office.key"
PUBLIC = "office.pub"
PROVINCE = "province.pub"
NATIONAL = "national.pub"


@dataclass(frozen=True)
class OfficeKey:
    """This office's key pair. `created` is True when it was made by this call."""

    private: Ed25519PrivateKey
    public: PublicKey
    created: bool = False


@dataclass(frozen=True)
class Enrolment:
    """One entry of the directory's `keys`: a key trusted for a unit's subtree."""

    key: str  # the key id as minisign prints it
    public: str  # the base64 line of the public key
    unit: str
    enrolled: str  # ISO date
    by: str  # the unit of the office that enrolled it
    revoked: str | None = None  # ISO date

    @classmethod
    def from_json(cls, data: dict) -> Enrolment:
        return cls(data["key"], data["public"], data["unit"], data["enrolled"], data["by"],
                   data.get("revoked"))  # fmt: skip

    def to_json(self) -> dict:
        return {"key": self.key, "public": self.public, "unit": self.unit,
                "enrolled": self.enrolled, "by": self.by, "revoked": self.revoked}  # fmt: skip

    @property
    def public_key(self) -> PublicKey:
        return minisign.parse_public_key(self.public)


@dataclass(frozen=True)
class Signer:
    """Who signed a bundle, as this office knows it: never what the bundle itself claims."""

    unit: str
    key: PublicKey
    is_province: bool  # the pinned province key


def fingerprint(key: PublicKey) -> str:
    """25 digits in groups of five, to read over the phone before enrolling a key."""
    number = int.from_bytes(hashlib.sha256(key.raw).digest()[:16], "big") % 10**25
    digits = f"{number:025d}"
    return " ".join(digits[i : i + 5] for i in range(0, 25, 5))


_fingerprint_of = fingerprint  # enrol_from_bundle's parameter `fingerprint` hides the name


def _folder(store: Store) -> Path:
    folder = store.path / KEYS
    folder.mkdir(mode=0o700, exist_ok=True)
    if sys.platform != "win32":
        os.chmod(folder, 0o700)
    return folder


def _private_key(pem: bytes) -> Ed25519PrivateKey | None:
    try:
        private = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        return None
    return private if isinstance(private, Ed25519PrivateKey) else None


def _read_private_key(store: Store) -> Ed25519PrivateKey | None:
    """The office's private key; restored from its backup copy when the file is damaged or
    gone. None when the office has never had one (a store made before keys)."""
    path, backup = store.path / KEYS / PRIVATE, _backup_of(store, PRIVATE)
    try:
        private = _private_key(path.read_bytes())
    except FileNotFoundError:
        private = None
        if not backup.exists():
            return None
    if private is not None:
        return private
    try:
        kept = backup.read_bytes()
    except FileNotFoundError:
        kept = b""
    private = _private_key(kept)
    if private is None:
        raise SyncError(
            f"Tệp khoá riêng {path} bị hỏng và không có bản sao lưu dùng được. Hãy chép lại thư "
            "mục keys/ từ bản lưu trữ; nếu không còn, hãy xoá tệp này, chạy «nhandao keys show» "
            "để tạo khoá mới và gửi khoá công khai mới cho văn phòng cấp trên đăng ký lại."
        )
    broken = None
    if path.exists():
        broken = path.with_name(f"broken-{datetime.now():%Y%m%d-%H%M%S}-{PRIVATE}")
        os.replace(path, broken)
    write_atomic(path, kept, mode=0o600)
    store.repairs.append(
        f"Tệp khoá riêng {KEYS}/{PRIVATE} {'bị hỏng' if broken else 'bị mất'}; đã khôi phục từ "
        f"bản sao lưu, văn phòng vẫn dùng khoá cũ"
        + (f" (tệp hỏng giữ ở {KEYS}/{broken.name})." if broken else ".")
    )
    return private


def check_files(store: Store) -> list[str]:
    """What is wrong with this office's key files (a damaged private key is restored from its
    backup, as any use of it does), as Vietnamese sentences."""
    try:
        province_key(store)  # restored from its copy when damaged
        private = _read_private_key(store)
    except SyncError as error:
        return [str(error)]
    if private is None:
        return []
    public = minisign.public_key_of(private)
    expected = public.file_text(_comment(store, public)).encode("utf-8")
    path = store.path / KEYS / PUBLIC
    if not path.exists() or path.read_bytes() != expected:
        write_atomic(path, expected)
        store.repairs.append(
            f"Tệp khoá công khai {KEYS}/{PUBLIC} bị mất hoặc bị hỏng; đã ghi lại từ khoá riêng."
        )
    return []


def office_key(store: Store) -> OfficeKey:
    """This office's key pair, made when the store has none yet (stores made before keys)."""
    private = _read_private_key(store)
    if private is None:
        return _make_office_key(store)
    if not _backup_of(store, PRIVATE).exists():  # a store made before keys had backups
        _keep_backup(store, PRIVATE, (store.path / KEYS / PRIVATE).read_bytes())
    public = minisign.public_key_of(private)
    public_path = store.path / KEYS / PUBLIC
    expected = public.file_text(_comment(store, public)).encode("utf-8")
    if not public_path.exists() or public_path.read_bytes() != expected:
        write_atomic(public_path, expected)  # made again from the private key when damaged
    return OfficeKey(private, public)


def new_office_key(store: Store) -> OfficeKey:
    """Replace this office's key pair (a laptop lost, a store copied to another computer).
    The old pair is kept aside in keys/, renamed, and is no longer used."""
    folder = _folder(store)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (PRIVATE, PUBLIC):
        old = folder / name
        if old.exists():
            os.replace(old, folder / f"retired-{stamp}-{name}")
    return _make_office_key(store)


def _make_office_key(store: Store) -> OfficeKey:
    folder = _folder(store)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_atomic(folder / PRIVATE, pem, mode=0o600)
    _keep_backup(store, PRIVATE, pem)
    public = minisign.public_key_of(private)
    write_atomic(folder / PUBLIC, public.file_text(_comment(store, public)).encode("utf-8"))
    return OfficeKey(private, public, created=True)


def _comment(store: Store, key: PublicKey) -> str:
    # minisign shows the untrusted comment as is: keep it ASCII.
    return (
        f"nhandao public key {key.id_text} of office {store.office.id} (unit {store.office.unit})"
    )


def _backup_of(store: Store, name: str) -> Path:
    return store.path / "backups" / KEYS / name


def _keep_backup(store: Store, name: str, payload: bytes) -> None:
    """A copy of a key file beside the other backups (readable by this user only): the
    office's identity and the province's pinned key must survive a damaged file."""
    backup = _backup_of(store, name)
    backup.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        os.chmod(backup.parent, 0o700)
    write_atomic(backup, payload, mode=0o600)


def public_key_path(store: Store) -> Path:
    return store.path / KEYS / PUBLIC


def read_public_key_file(path: Path) -> PublicKey:
    """A public key from a file someone sent; SyncError in Vietnamese when it is not one."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError as error:
        raise SyncError(f"Không mở được tệp {path}: {error.strerror or error}.") from None
    try:
        return minisign.parse_public_key(text)
    except MinisignError:
        raise SyncError(
            f"Tệp {path} không chứa khoá công khai nhandao (dạng minisign: dòng «untrusted "
            "comment: …» rồi một dòng base64 bắt đầu bằng «RW»). Hãy xin lại tệp office.pub "
            "mà văn phòng kia in ra bằng «nhandao keys show»."
        ) from None


# ----------------------------------------------------------------- the province key


def is_province_office(store: Store) -> bool:
    return store.is_province_office()


def province_key(store: Store) -> PublicKey | None:
    """The key the province signs directories with: pinned, or this office's own at the
    province."""
    if is_province_office(store):
        return own_public_key(store)
    return _pinned(store, PROVINCE, "của Tỉnh Hội", "nhandao keys pin TỆP --replace")


def _pinned(store: Store, name: str, whose: str, again: str) -> PublicKey | None:
    """A pinned key (`keys/<name>`), restored from the copy kept when it was pinned if the
    file is damaged or gone; None when none was pinned."""
    path, backup = store.path / KEYS / name, _backup_of(store, name)
    if not path.exists() and not backup.exists():
        return None
    try:
        return minisign.parse_public_key(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, MinisignError):
        pass
    try:  # the copy kept when it was pinned
        kept = backup.read_bytes()
        key = minisign.parse_public_key(kept.decode("utf-8", errors="replace"))
    except (OSError, MinisignError):
        key = None
    if key is not None:
        with contextlib.suppress(OSError):  # a read-only medium: used from the copy as it is
            write_atomic(path, kept)
            store.repairs.append(
                f"Tệp khoá đã ghim {whose} {KEYS}/{name} bị hỏng hoặc bị mất; đã khôi "
                "phục từ bản sao lưu lúc ghim khoá."
            )
        return key
    if path.exists():
        raise SyncError(
            f"Tệp {path} (khoá đã ghim {whose}) bị hỏng. Hãy ghim lại khoá {whose} bằng "
            f"«{again}», sau khi đối chiếu dấu vân tay qua điện thoại."
        )
    return None


def pin_province_key(store: Store, key: PublicKey, *, replace: bool = False) -> None:
    """Trust `key` as the province's. A pinned key is replaced only when asked to."""
    if is_province_office(store):
        raise SyncError(
            "Văn phòng này là Tỉnh Hội: khoá của Tỉnh Hội chính là khoá của văn phòng, "
            "không cần ghim khoá nào khác."
        )
    current = province_key(store)
    if current == key:
        return
    if current is not None and not replace:
        raise SyncError(
            f"Đã ghim khoá của Tỉnh Hội ({current.id_text}, dấu vân tay {fingerprint(current)}). "
            "Chỉ thay khi Tỉnh Hội báo đã đổi khoá, sau khi đối chiếu dấu vân tay qua điện "
            "thoại: thêm --replace."
        )
    comment = f"nhandao province key {key.id_text} (province {store.directory['province']})"
    pinned = key.file_text(comment).encode("utf-8")
    write_atomic(_folder(store) / PROVINCE, pinned)
    _keep_backup(store, PROVINCE, pinned)


# ----------------------------------------------------------------- the central office's key


def is_national_office(store: Store) -> bool:
    return store.office.unit == NATIONAL_UNIT


def national_key(store: Store) -> PublicKey | None:
    """At a province office, the key of the central office its records go up to, once
    pinned; None elsewhere or before."""
    if not is_province_office(store) or is_national_office(store):
        return None
    again = "nhandao keys pin TỆP --national --replace"
    return _pinned(store, NATIONAL, "của Trung ương Hội", again)


def pin_national_key(store: Store, key: PublicKey, *, replace: bool = False) -> None:
    """Trust `key` as the central office's, at a province office: its records can then go up
    (`bundle export` sends them to the central office) and its acknowledgements come back."""
    if not is_province_office(store) or is_national_office(store):
        raise SyncError(
            "Chỉ văn phòng Tỉnh Hội gửi dữ liệu lên Trung ương Hội, nên chỉ ở đó mới ghim khoá "
            "của Trung ương Hội; các văn phòng khác gửi lên văn phòng ngay trên mình."
        )
    current = national_key(store)
    if current == key:
        return
    if current is not None and not replace:
        raise SyncError(
            f"Đã ghim khoá của Trung ương Hội ({current.id_text}, dấu vân tay "
            f"{fingerprint(current)}). Chỉ thay khi Trung ương Hội báo đã đổi khoá, sau khi đối "
            "chiếu dấu vân tay qua điện thoại: thêm --replace."
        )
    if own_public_key(store) == key:
        raise SyncError("Đây là khoá của chính văn phòng này, không phải của Trung ương Hội.")
    comment = f"nhandao national key {key.id_text} (central office {NATIONAL_UNIT})"
    pinned = key.file_text(comment).encode("utf-8")
    write_atomic(_folder(store) / NATIONAL, pinned)
    _keep_backup(store, NATIONAL, pinned)


# ----------------------------------------------------------------- enrolled keys


def enrolments(store: Store) -> list[Enrolment]:
    return [Enrolment.from_json(entry) for entry in store.directory.get("keys", [])]


def _find(store: Store, key_id: str) -> Enrolment | None:
    return next((e for e in enrolments(store) if e.key == key_id), None)


def enrol(store: Store, key: PublicKey, unit: str, today: date | None = None) -> Enrolment:
    """Trust `key` for `unit`'s subtree. Only for units within this office's own subtree."""
    units = store.units
    if unit not in units:
        raise SyncError(
            f"Không có đơn vị mang mã «{unit}» trong danh mục. Tìm mã bằng «nhandao units "
            "--search TÊN»."
        )
    office = store.office.unit
    if unit not in store.office.units_served(units):  # after a move to 2025, its former too
        raise SyncError(
            f"{units.name(unit)} ({unit}) không thuộc phạm vi của văn phòng {units.name(office)}: "
            "chỉ đăng ký khoá cho các đơn vị cấp dưới của mình. Khoá của đơn vị này do văn phòng "
            "cấp trên của nó đăng ký."
        )
    if key == own_public_key(store):
        raise SyncError(
            "Đây là khoá của chính văn phòng này; không cần đăng ký. Hãy đăng ký khoá mà văn "
            "phòng cấp dưới gửi lên (tệp office.pub của họ)."
        )
    if key == province_key(store):
        raise SyncError("Đây là khoá của Tỉnh Hội, đã được ghim; không đăng ký cho đơn vị khác.")
    known = _find(store, key.id_text)
    if known is not None:
        if known.public != key.line:
            raise SyncError(
                f"Đã có một khoá khác mang cùng mã {key.id_text}. Hãy đề nghị văn phòng kia tạo "
                "khoá mới rồi gửi lại."
            )
        if known.revoked:
            raise SyncError(
                f"Khoá {key.id_text} đã bị thu hồi ngày {format_date(known.revoked)}; một khoá đã "
                "thu hồi không bao giờ được tin lại. Hãy đề nghị văn phòng kia tạo khoá mới."
            )
        if known.unit == unit:
            return known
        raise SyncError(
            f"Khoá {key.id_text} đã được đăng ký cho {units.name(known.unit)} ({known.unit}). "
            "Mỗi khoá chỉ dùng cho một đơn vị; hãy thu hồi khoá đó trước nếu cần."
        )
    entry = Enrolment(
        key.id_text, key.line, unit, (today or store.today()).isoformat(), office, None
    )
    _save(store, [*enrolments(store), entry])
    return entry


def same_fingerprint(key: PublicKey, digits: str) -> bool:
    """True when `digits` (as read over the phone, spaces anywhere) are the key's fingerprint."""
    return "".join(digits.split()) == fingerprint(key).replace(" ", "")


def is_bundle_file(path: Path) -> bool:
    """True when a file holds a bundle (a zip, or its e-mail text form) rather than a public
    key: `nhandao keys enrol` takes either."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            if head == b"PK\x03\x04":
                return True
            handle.seek(0)
            return armor.looks_armored(handle.read(64 * 1024 * 1024))
    except OSError:
        return False


def enrol_from_bundle(
    store: Store,
    path: Path,
    *,
    unit: str | None = None,
    fingerprint: str | None = None,
    today: date | None = None,
) -> Enrolment:
    """Trust the key that signed a bundle (which carries its public key), for the unit the
    bundle claims to come from (`unit`, when given, must be that unit: every bundle of an
    office names its own unit as sender). `fingerprint`, the digits read over the phone, must
    be the key's. SyncError in Vietnamese when the bundle is refused for another reason than
    its unknown key, or when a check fails."""
    from sync.reader import read_bundle, read_source  # the reader imports this module

    path = Path(path)
    try:
        found = read_bundle(read_source(path), store, path.name)
    except UnknownKey as unknown:
        key, claimed = unknown.public_key, unknown.claimed_sender
    except BundleRefused as refusal:
        raise SyncError(f"Không đăng ký được khoá từ gói {path.name}: {refusal}") from None
    else:
        key, claimed = found.signer.key, found.manifest["sender"]
    printed = _fingerprint_of(key)
    if fingerprint is not None and not same_fingerprint(key, fingerprint):
        raise SyncError(
            f"Dấu vân tay của khoá ký gói {path.name} là {printed}, khác với dấu vân tay đã đọc "
            f"({fingerprint}). Không đăng ký: gói có thể là giả mạo. Hãy gọi lại văn phòng đó, "
            "đối chiếu lại từng chữ số, và chỉ đăng ký khi khớp."
        )
    if unit is not None and unit != claimed:
        raise SyncError(
            f"Gói {path.name} tự ghi là của {_name(store, claimed)}: khoá ký gói chỉ đăng ký được "
            f"cho chính đơn vị đó, vì mọi gói ký bằng khoá này đều ghi người gửi là {claimed}. "
            f"Hãy đăng ký cho {claimed}, hoặc xin văn phòng {_name(store, unit)} gửi khoá "
            "(hoặc một gói) của chính họ."
        )
    return enrol(store, key, claimed, today)


def revoke(store: Store, key_id: str, today: date | None = None) -> Enrolment:
    """Stop trusting an enrolled key, for good."""
    key_id = key_id.strip().upper()
    known = _find(store, key_id)
    if known is None:
        raise SyncError(
            f"Không có khoá nào mang mã {key_id} trong danh sách khoá đã đăng ký. Xem danh sách "
            "bằng «nhandao keys list»."
        )
    units = store.units
    if known.unit not in store.office.units_served(units):
        raise SyncError(
            f"Khoá {key_id} thuộc đơn vị ngoài phạm vi của văn phòng này; chỉ văn phòng cấp "
            "trên của đơn vị đó được thu hồi."
        )
    if known.revoked:
        return known
    revoked = Enrolment(**{**known.__dict__, "revoked": (today or store.today()).isoformat()})
    _save(store, [revoked if e.key == key_id else e for e in enrolments(store)])
    return revoked


def _save(store: Store, entries: list[Enrolment]) -> None:
    directory = {**store.directory, "keys": [e.to_json() for e in entries]}
    with store.transaction():
        if is_province_office(store):
            # Offices accept a directory only with a higher revision: every change makes one,
            # never one made before (directory.json may have been restored from a backup).
            revision = max(int(store.directory.get("revision", 0)), store.counter("revision")) + 1
            directory["revision"] = revision
            store.raise_counter("revision", revision)
        store.replace_directory(directory)


def signer_of(store: Store, key_id: bytes) -> Signer:
    """The unit a key is trusted for; BundleRefused when it is unknown, revoked or this
    office's own."""
    signer = known_signer(store, key_id)
    if signer is None:
        text = f"{int.from_bytes(key_id, 'little'):016X}"
        raise BundleRefused(
            "unknown-key",
            f"Gói được ký bằng khoá {text}, chưa được đăng ký ở văn phòng này. Nếu gói đến từ "
            "văn phòng cấp dưới, hãy đối chiếu dấu vân tay qua điện thoại rồi đăng ký khoá của "
            "họ bằng «nhandao keys enrol TỆP --unit MÃ»; nếu từ cấp trên, hãy nhập gói danh mục "
            "mới nhất của Tỉnh Hội. Chưa nhập gì vào kho.",
        )
    return signer


def known_signer(store: Store, key_id: bytes) -> Signer | None:
    """The unit a key is trusted for, or None when this office has never enrolled it;
    BundleRefused when it is revoked or this office's own."""
    text = f"{int.from_bytes(key_id, 'little'):016X}"
    own = own_public_key(store)
    if own is not None and own.key_id == key_id:
        raise BundleRefused(
            "own-bundle",
            "Gói này do chính văn phòng này ký (gói gửi đi, không phải gói nhận về). Hãy nhập "
            "gói mà văn phòng khác gửi đến. Chưa nhập gì vào kho.",
        )
    pinned = province_key(store)
    if pinned is not None and pinned.key_id == key_id:
        return Signer(store.directory["province"], pinned, True)
    above = national_key(store)
    if above is not None and above.key_id == key_id:  # its acknowledgements
        return Signer(NATIONAL_UNIT, above, False)
    known = _find(store, text)
    if known is None:
        return None
    if known.revoked:
        raise BundleRefused(
            "revoked-key",
            f"Gói được ký bằng khoá {text} của {_name(store, known.unit)}, đã bị thu hồi ngày "
            f"{format_date(known.revoked)}. Không nhập gói ký bằng khoá đã thu hồi; hãy đề nghị "
            "văn phòng đó tạo khoá mới và đăng ký lại. Chưa nhập gì vào kho.",
        )
    return Signer(known.unit, known.public_key, False)


def own_public_key(store: Store) -> PublicKey | None:
    """This office's public key, or None when it has none yet; never makes one (reading a
    bundle changes nothing in the store). Taken from the private key, not from office.pub,
    which is only a copy for other offices."""
    try:
        private = _private_key((store.path / KEYS / PRIVATE).read_bytes())
    except OSError:
        return None
    return minisign.public_key_of(private) if private is not None else None


def _name(store: Store, unit: str) -> str:
    return f"{store.units.name(unit)} ({unit})" if unit in store.units else f"đơn vị {unit}"


def merged_keys(local: list[dict], incoming: list[dict], office_unit: str) -> list[dict]:
    """The keys of a directory from the province, with this office's own enrolments kept and
    every revocation known here kept (a revoked key stays revoked)."""
    revoked = {e["key"]: e["revoked"] for e in local if e.get("revoked")}
    merged = []
    listed = set()
    for entry in incoming:
        entry = dict(entry)
        if entry["key"] in revoked and not entry.get("revoked"):
            entry["revoked"] = revoked[entry["key"]]
        merged.append(entry)
        listed.add(entry["key"])
    merged += [e for e in local if e["by"] == office_unit and e["key"] not in listed]
    return merged


def describe(store: Store, entries: list[Enrolment]) -> Iterator[tuple[Enrolment, str]]:
    """Each enrolment with the name of its unit, for listing."""
    for entry in entries:
        yield entry, _name(store, entry.unit)
