"""Merging random edit histories of three offices: idempotent, commutative, associative, and
no version is ever lost (each is current, kept as a conflict, or replaced by an edit on it).

The three offices (province, district, commune) all may edit Phường 1's addresses. Their
computers' clocks disagree by up to a few seconds. Offices pass each other what they hold
(current versions and kept conflicts) at random moments, in random orders.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from factories import TODAY, address
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from offices import files_of

from campaign.tally import tally
from store.hlc import HybridClock
from store.merge import decide, descends_from
from store.store import Store

UNITS = ("72", "703", "25456")
KEYS = ("a0", "a1", "a2")
START_MS = 1_733_000_000_000


class World:
    """Three offices sharing a wall clock, each with its own skew."""

    def __init__(self, folder: Path, stack: ExitStack, skews: list[int]) -> None:
        self.now = START_MS
        self.offices: list[Store] = []
        self.made: set[str] = set()  # every version any office wrote
        for unit, skew in zip(UNITS, skews, strict=True):
            store = stack.enter_context(Store.create(folder / unit, unit, today=lambda: TODAY))
            store.clock = HybridClock(store.office.id, wall_ms=lambda skew=skew: self.now + skew)
            self.offices.append(store)

    def edit(self, office: int, key: str, place: int) -> None:
        self.now += 1
        saved = self.offices[office].save("address", address(key, place=f"Khu phố {place}"))
        self.made.add(saved["v"])

    def delete(self, office: int, key: str) -> None:
        self.now += 1
        store = self.offices[office]
        if store.get("address", key) is not None:
            self.made.add(store.delete("address", key)["v"])

    def play(self, steps: list[tuple]) -> None:
        """Edits, deletions and exchanges, as drawn by the `step` strategy."""
        for action, first, second, third in steps:
            if action == "edit":
                self.edit(first, second, third)
            elif action == "delete":
                self.delete(first, second)
            elif first != second:
                self.send(first, second, third)

    def send(self, source: int, target: int, seed: int) -> int:
        """`target` merges everything `source` holds, in an order set by `seed`."""
        documents = held(self.offices[source])
        random.Random(seed).shuffle(documents)
        return self.offices[target].merge(documents).changed


def held(store: Store) -> list[tuple[str, dict]]:
    """Every version an office holds: current ones and kept conflicts."""
    current = [("address", dict(d)) for d in store.records("address", live=False)]
    return current + [(kind, dict(d)) for kind, d in store.conflicts()]


def state(store: Store) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """What the office holds: the current version of each record, and the kept conflicts."""
    current = {d["id"]: d["v"] for d in store.records("address", live=False)}
    return current, {(d["id"], d["v"]) for _kind, d in store.conflicts()}


def accounted(store: Store, version: str) -> bool:
    """A version is current, kept as a conflict, or an ancestor of one of those."""
    leaves = [d for _k, d in held(store)]
    return any(d["v"] == version or descends_from(d, version) for d in leaves)


@contextmanager
def world(skews: list[int]) -> Iterator[World]:
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        yield World(Path(folder), stack, skews)


office = st.integers(0, 2)
step = st.one_of(
    st.tuples(st.just("edit"), office, st.sampled_from(KEYS), st.integers(1, 3)),
    st.tuples(st.just("delete"), office, st.sampled_from(KEYS), st.just(0)),
    st.tuples(st.just("send"), office, office, st.integers(0, 1000)),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    skews=st.lists(st.integers(-3000, 3000), min_size=3, max_size=3),
    steps=st.lists(step, min_size=1, max_size=14),
    order=st.permutations([(s, t) for s in range(3) for t in range(3) if s != t]),
)
def test_offices_that_exchange_everything_end_identical_and_lose_no_version(
    skews: list[int], steps: list[tuple], order: list[tuple[int, int]]
) -> None:
    with world(skews) as w:
        w.play(steps)
        # Two rounds in the drawn order: everyone hears of everything, through any path.
        for _ in range(2):
            for source, target in order:
                w.send(source, target, seed=source * 3 + target)
        states = [state(store) for store in w.offices]
        assert states[0] == states[1] == states[2]  # commutative and associative
        for store in w.offices:
            assert all(accounted(store, version) for version in w.made)  # nothing lost
            before = files_of(store.path)
            for source in range(3):
                assert w.send(source, w.offices.index(store), seed=7) == 0  # idempotent
            assert files_of(store.path) == before
        summaries = [tally(store.dataset(), "703").summary_json() for store in w.offices]
        assert summaries[0] == summaries[1] == summaries[2]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    skews=st.lists(st.integers(-3000, 3000), min_size=3, max_size=3),
    steps=st.lists(step, min_size=1, max_size=12),
    seed=st.integers(0, 10_000),
)
def test_grouping_and_order_of_merges_do_not_change_the_result(
    skews: list[int], steps: list[tuple], seed: int
) -> None:
    """(A + B) + C = A + (B + C) = C + B + A, and a batch merged twice is merged once."""
    with world(skews) as w:
        w.play(steps)
        a, b, c = (held(store) for store in w.offices)
        rng = random.Random(seed)
        with tempfile.TemporaryDirectory() as folder:
            results = []
            for number, batches in enumerate(
                ([a, b, c], [b + c, a], [c, b, a], [rng.sample(a + b + c, len(a + b + c))])
            ):
                with Store.create(Path(folder) / str(number), "72", today=lambda: TODAY) as fresh:
                    for batch in batches:
                        fresh.merge(batch)
                        fresh.merge(batch)
                    results.append(state(fresh))
            assert results[0] == results[1] == results[2] == results[3]


versions = st.lists(st.integers(0, 40), min_size=1, max_size=10, unique=True)


@given(
    history=st.lists(st.tuples(st.integers(0, 2), st.integers(-1, 8)), min_size=1, max_size=9),
    order=st.randoms(),
)
def test_the_decision_depends_only_on_the_set_of_versions(
    history: list[tuple[int, int]], order: random.Random
) -> None:
    """Versions made by three offices, each on top of an earlier one (or none): whatever the
    order they arrive in, the current version and the conflicts are the same."""
    made: list[dict] = []
    for number, (node, parent) in enumerate(history):
        base = made[parent] if 0 <= parent < len(made) else None
        document = {"id": "a1", "v": f"{START_MS + number:013d}-0000-office{node}"}
        if base is not None:
            document["prev"] = base["v"]
            document["history"] = [p for p in [base.get("prev"), *base.get("history", [])] if p]
        made.append(document)
    outcomes = set()
    for _ in range(4):
        arrival = order.sample(made, len(made)) * 2  # every version twice: idempotent too
        current, conflicts = None, ()
        for document in arrival:
            decision = decide(current, conflicts, document)
            current, conflicts = decision.current, decision.conflicts
        assert current is not None
        outcomes.add((current["v"], tuple(c["v"] for c in conflicts)))
        for document in made:
            assert any(leaf["v"] == document["v"] or descends_from(leaf, document["v"])
                       for leaf in (current, *conflicts))  # fmt: skip
    assert len(outcomes) == 1
