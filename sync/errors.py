"""Errors of keys and bundles. `str()` of each is a Vietnamese sentence saying what to do."""

from __future__ import annotations

from store.errors import StoreError


class SyncError(StoreError):
    """Something about keys or bundles that the user must act on."""


class BundleRefused(SyncError):
    """A bundle refused whole: nothing of it was kept. `reason` names the check in English
    (for logs and tests); the message says, in Vietnamese, what is wrong and what to do."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
