"""Our signatures are minisign's: stock minisign checks ours, and we check stock minisign's."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from craft import Key
from offices import Chain, chain

from store.store import Store
from sync import keys, minisign, send


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Chain]:
    with chain(tmp_path / "offices") as made:
        yield made


@pytest.fixture
def province(offices: Chain) -> Store:
    return offices.province


@pytest.fixture
def district(offices: Chain) -> Store:
    return offices.district


@pytest.fixture
def commune(offices: Chain) -> Store:
    return offices.commune


# Made with the stock program (minisign 0.11): `minisign -S -s k.key -m m.json -t "…"`, then
# with `-l` (the legacy, not prehashed, algorithm).
STOCK_PUBLIC_KEY = """untrusted comment: minisign public key 846C71ED74D870ED
RWTtcNh07XFshPTnMV4tn8ywuhno7ObLVpidjyrRonFeLbQznDKn9VNK
"""
STOCK_MESSAGE = b'{"format": "nhandao-bundle"}\n'
STOCK_SIGNATURE = b"""untrusted comment: signature from minisign secret key
RUTtcNh07XFshBCASGp09uaeioW9dm7GlfFOAJ7l7fQrH5+4PXZw8i8nxvNuvICY2jOc7O5zWv/TVgg+mqDtl/ygCc8K2OOnzw0=
trusted comment: nhandao-bundle v1 kind=records bundle=x sender=25456 sequence=1
+AVfzW5gkQjzkPG3LoJIGIMza9//ua8tKI8/1HZW40aTODI34feBM6axeKxO+eSrkAeYi9NMH5bkpEL4DXtMBg==
"""
STOCK_LEGACY_SIGNATURE = b"""untrusted comment: signature from minisign secret key
RWTtcNh07XFshNbZYSqH666T3EmQ3cTEINnL8AcxLBcrEfowgx9jLT+bvWYoQWhB/T7P1gZSp6SlffNB+JpxPB5kiC9dT1dTTQs=
trusted comment: timestamp:1795927843\tfile:m.json
KealAh0Q6MtMQGE3+CXpQJx16+0eSeVb+2w84H16QyVU/+3iuElfPWxttfljp1i1ewCR2GVRkt/kVJYhLWWNCQ==
"""


def test_a_signature_made_by_stock_minisign_verifies() -> None:
    key = minisign.parse_public_key(STOCK_PUBLIC_KEY)
    assert key.id_text == "846C71ED74D870ED"
    signature = minisign.parse_signature(STOCK_SIGNATURE)
    minisign.verify(signature, STOCK_MESSAGE, key)
    assert signature.trusted_comment.endswith("sender=25456 sequence=1")


@pytest.mark.parametrize(
    ("message", "signature", "says"),
    [
        (STOCK_MESSAGE + b" ", STOCK_SIGNATURE, "does not match the message"),
        (
            STOCK_MESSAGE,
            STOCK_SIGNATURE.replace(b"sequence=1", b"sequence=2"),
            "comment was altered",
        ),
        (STOCK_MESSAGE, STOCK_LEGACY_SIGNATURE, "only prehashed Ed25519"),
    ],
    ids=["message changed", "trusted comment changed", "legacy algorithm"],
)
def test_a_changed_message_comment_or_algorithm_is_refused(
    message: bytes, signature: bytes, says: str
) -> None:
    key = minisign.parse_public_key(STOCK_PUBLIC_KEY)
    with pytest.raises(minisign.MinisignError, match=says):
        minisign.verify(minisign.parse_signature(signature), message, key)


def test_our_signature_verifies_with_an_independent_implementation() -> None:
    key = Key()
    signed = minisign.sign(key.private, b"manifest\n", "nhandao-bundle v1", "from a test")
    ours = minisign.parse_signature(signed)
    assert ours.key_id == key.key_id
    minisign.verify(ours, b"manifest\n", minisign.parse_public_key(key.pub_file()))
    theirs = minisign.parse_signature(key.sign(b"manifest\n", "nhandao-bundle v1"))
    assert theirs.signature == ours.signature  # Ed25519 is deterministic


@pytest.mark.skipif(
    shutil.which("minisign") is None, reason="the minisign program is not installed"
)
def test_stock_minisign_verifies_an_exported_bundle(commune: Store, tmp_path: Path) -> None:
    from factories import address

    commune.save("address", address())
    sent = send.export_records(commune, tmp_path)
    assert sent is not None
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(sent.path) as archive:
        archive.extractall(folder)
    result = subprocess.run(
        ["minisign", "-Vm", "manifest.json", "-p", str(keys.public_key_path(commune))],
        cwd=folder, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Signature and comment signature verified" in result.stdout
    assert f"sender=25456 sequence={sent.sequence}" in result.stdout


def test_an_exported_bundle_is_read_by_following_the_documentation_alone(
    commune: Store, tmp_path: Path
) -> None:
    """A reader written from docs/BUNDLE.md with the standard library and cryptography."""
    import base64
    import hashlib
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from factories import address, aid, helper

    commune.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    sent = send.export_records(commune, tmp_path)
    assert sent is not None
    pub = base64.b64decode(keys.public_key_path(commune).read_text().splitlines()[1])
    assert pub[:2] == b"Ed"
    with zipfile.ZipFile(sent.path) as archive:
        names = archive.namelist()
        manifest_bytes = archive.read("manifest.json")
        untrusted, signature_line, trusted, global_line = (
            archive.read("manifest.json.minisig").decode().splitlines()
        )
        manifest = json.loads(manifest_bytes)
        files = {f["path"]: archive.read(f["path"]) for f in manifest["files"]}
    assert untrusted.startswith("untrusted comment: ")
    signature = base64.b64decode(signature_line)
    assert signature[:2] == b"ED" and signature[2:10] == pub[2:10]
    verifier = Ed25519PublicKey.from_public_bytes(pub[10:])
    verifier.verify(signature[10:], hashlib.blake2b(manifest_bytes).digest())
    comment = trusted.removeprefix("trusted comment: ")
    verifier.verify(base64.b64decode(global_line), signature[10:] + comment.encode())
    assert comment == (
        f"nhandao-bundle v1 kind=records bundle={manifest['bundle']} sender=25456 "
        f"sequence={manifest['sequence']}"
    )
    assert manifest["key"] == f"{int.from_bytes(pub[2:10], 'little'):016X}"
    assert manifest["public"] == keys.public_key_path(commune).read_text().splitlines()[1]
    assert sorted(names) == sorted(["manifest.json", "manifest.json.minisig", *files])
    for item in manifest["files"]:
        content = files[item["path"]]
        assert hashlib.sha256(content).hexdigest() == item["sha256"]
        assert len(content) == item["size"] and content.count(b"\n") == item["records"]
        for raw in content.splitlines():
            record = json.loads(raw)
            assert {"kind", "id", "owner", "v", "by", "data"} <= record.keys()
            assert record["owner"] == item["path"].removeprefix("records/").removesuffix(".jsonl")
            assert record["by"] == record["v"].split("-", 2)[2]
