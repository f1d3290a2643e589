"""Counting at the central office, one province at a time.

The central office's store holds every province's records (about 22 M at the country's
size); memory cannot hold them at once. A table whose annexes need the records themselves
(the workbook) is counted for each province from that province's files alone (`Store.scoped`)
and the provinces' tables are put together (`campaign.tally.combined`).
"""

from __future__ import annotations

from campaign.dates import Period
from campaign.tally import Tally, combined, tally
from store.store import Store


def tally_by_province(store: Store, unit: str, period: Period) -> tuple[Tally, list[dict]]:
    """The whole table of `unit` (annexes included) and the models of its subtree, counted
    from one province's records at a time; from the loaded records when they are loaded."""
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
