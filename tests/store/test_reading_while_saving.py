"""A worker reading the store while the interface saves sees whole records of one moment."""

from __future__ import annotations

import threading

from factories import address

from store.store import Store


def test_a_reader_thread_never_sees_a_half_saved_record_or_a_changing_index(
    store: Store,
) -> None:
    for n in range(50):
        store.save("address", address(id=f"a{n}", name=f"Người {n}"))
    errors: list[BaseException] = []
    halves: list[dict] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                for record in store.dataset().addresses:
                    if not {"id", "owner", "v", "unit", "name"} <= record.keys():
                        halves.append(dict(record))
                for record in store.records("address"):
                    if "name" not in record:
                        halves.append(dict(record))
                store.newest_version()
            except BaseException as error:  # what a worker would die of
                errors.append(error)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(300):
            if n % 3:
                store.save("address", address(id=f"a{n % 50}", name=f"Người {n} đã sửa"))
            else:
                store.save("address", address(id=f"new{n}", name=f"Người mới {n}"))
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert halves == []
    assert store.count("address") == 150


def test_a_snapshot_taken_before_a_save_keeps_the_versions_it_had(store: Store) -> None:
    store.save("address", address(id="a1", name="Trước"))
    before = store.dataset()
    kept = before.addresses[0]
    store.save("address", address(id="a1", name="Sau"))
    store.save("address", address(id="a2", name="Thêm"))
    assert kept["name"] == "Trước"  # the old document is not changed in place
    assert [a["name"] for a in before.addresses] == ["Trước"]
    assert sorted(a["name"] for a in store.dataset().addresses) == ["Sau", "Thêm"]
