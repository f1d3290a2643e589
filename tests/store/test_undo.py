"""Undo of this program's last saves and deletions: as new versions, refused when the record
changed since."""

from __future__ import annotations

import pytest
from factories import address, aid, helper

from store.errors import StoreError
from store.store import Store


def test_a_save_a_change_and_a_deletion_are_undone_in_turn(store: Store) -> None:
    store.save("address", address(place="Khu phố 1"))
    store.save("address", address(place="Khu phố 2"))
    store.delete("address", "a1")
    assert store.count("address") == 0
    store.undo()  # the deletion
    assert store.get("address", "a1")["place"] == "Khu phố 2"  # type: ignore[index]
    store.undo()  # the change
    assert store.get("address", "a1")["place"] == "Khu phố 1"  # type: ignore[index]
    first = store.get("address", "a1")["v"]  # type: ignore[index]
    store.undo()  # the address made: now a tombstone, a new version that travels
    current = store.get("address", "a1")
    assert current is not None and current["deleted"] and current["v"] != first
    with pytest.raises(StoreError, match="Không còn việc nào để hoàn tác"):
        store.undo()


def test_a_batch_is_one_step(store: Store) -> None:
    store.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    store.undo()
    assert (store.count("helper"), store.count("address"), store.count("aid")) == (0, 0, 0)


def test_a_record_changed_since_is_not_undone_and_nothing_changes(store: Store) -> None:
    store.save("address", address(place="Khu phố 1"))
    store.save("address", address(place="Khu phố 2"))
    store.journal.pop()  # as if the second version had come in a bundle
    with pytest.raises(StoreError, match="đã được sửa sau đó"):
        store.undo()
    assert store.get("address", "a1")["place"] == "Khu phố 2"  # type: ignore[index]


def test_the_journal_survives_a_refused_save_and_undo_is_not_itself_journaled(
    store: Store,
) -> None:
    store.save("address", address())
    with pytest.raises(StoreError):
        store.save("address", address(people=0))
    assert len(store.journal) == 1
    store.undo()
    assert store.journal == []
