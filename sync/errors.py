"""Errors of keys and bundles. `str()` of each is a Vietnamese sentence saying what to do."""

from __future__ import annotations

from datetime import date

from store.errors import StoreError
from sync.minisign import PublicKey


class SyncError(StoreError):
    """Something about keys or bundles that the user must act on."""


class BundleRefused(SyncError):
    """A bundle refused whole: nothing of it was kept. `reason` names the check in English
    (for logs and tests); the message says, in Vietnamese, what is wrong and what to do."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class UnknownKey(BundleRefused):
    """A bundle well signed by a key this office has not enrolled: the key it carries in its
    manifest (`public`) verifies its signature, so it can be enrolled once a person has checked
    its fingerprint by phone. Nothing of the bundle's data was read."""

    def __init__(
        self,
        message: str,
        *,
        claimed_sender: str,
        public_key: PublicKey,
        fingerprint: str,
        bundle_name: str,
        sequence: int | None = None,
        created: date | None = None,
    ) -> None:
        super().__init__("unknown-key", message)
        self.claimed_sender = claimed_sender  # the manifest's `sender`: a claim, not a fact
        self.public_key = public_key
        self.fingerprint = fingerprint  # as keys.fingerprint prints it
        self.key_id = public_key.id_text
        self.bundle_name = bundle_name
        self.sequence = sequence
        self.created = created  # the bundle's created date, from the manifest's clock
