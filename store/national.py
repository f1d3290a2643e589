"""Counting at the central office, one province at a time.

The central office's store holds every province's records (about 22 M at the country's
size); memory cannot hold them at once. A table whose annexes need the records themselves
(the workbook) is counted for each province from that province's files alone (`Store.scoped`)
and the provinces' tables are put together (`campaign.tally.combined`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from campaign.dates import Period
from campaign.tally import Tally, combined, tally
from store.store import Store


def tally_by_province(store: Store, unit: str, period: Period) -> tuple[Tally, list[dict]]:
    """The whole table of `unit` (annexes included) and the models of its subtree, counted
    from one province's records at a time; from the loaded records when they are loaded."""
    store.summary_index()  # the tree with every unit, or the records are loaded
    if store.records_loaded:
        data = store.dataset()
        return tally(data, unit, period), list(data.models)
    tree = store.units
    if tree[unit]["kind"] != "national":
        with store.scoped(tree.subtree(unit)):
            data = store.dataset()
            return tally(data, unit, period), list(data.models)
    parts, models = [], []
    for province in tree.children(unit):
        with store.scoped(tree.subtree(province["code"])):
            data = store.dataset()
            parts.append(tally(data, province["code"], period))
            models += data.models
    return combined(tree, unit, period, parts), models


@dataclass
class Checked:
    """What `check_by_province` found: the problems, and what the store holds."""

    problems: list[str] = field(default_factory=list)
    files: int = 0
    addresses: int = 0
    aid: int = 0
    fixed: int = 0  # records given a version made now (`fix_clock`)


def scopes(store: Store) -> Iterator[set[str]]:
    """The units of each province in turn, then any unit file under none of them (the root's
    own, a unit the directory does not list) together."""
    tree = store.units
    root = store.directory["province"]
    covered: set[str] = set()
    for province in tree.children(root):
        units = set(tree.subtree(province["code"]))
        covered |= units
        yield units
    files, backed_up_only = store.units_on_disk()
    rest = (files.keys() | backed_up_only) - covered
    if rest:
        yield rest


def check_by_province(store: Store, *, fix_clock: bool = False) -> Checked:
    """`Store.verify` (and `fix_future_versions` with `fix_clock`) one province at a time; at
    an office whose records are loaded, over them all."""
    checked = Checked()
    store.summary_index()  # the tree with every unit, or the records are loaded
    if store.records_loaded:
        parts: Iterable[set[str]] = [set()]
    else:
        parts = scopes(store)
    for units in parts:
        with store.scoped(units):
            if fix_clock:
                checked.fixed += store.fix_future_versions()
            checked.problems += store.verify()
            checked.files += len(store.files())
            checked.addresses += store.count("address")
            checked.aid += store.count("aid")
    # What concerns the whole tree (two codes that differ only in case) is found in every part.
    checked.problems = list(dict.fromkeys(checked.problems))
    return checked
