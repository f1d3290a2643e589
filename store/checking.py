"""`nhandao check` one unit file at a time, keeping in the summary index what it found.

A check validates every stored record by the rules of `campaign/validation.py`, with the
envelope of every stored document (`store.file_problems`). Done on a loaded store it costs
about ten microseconds a record (3.5 s at a province, 35 s at Hà Nội's size) and holds every
record in memory. Here the store is not loaded: each unit file is read and checked alone, the
addresses and helpers its records refer to are looked up in the summary index
(store/index.py), and what was found is kept there (table `verdict`, with every lookup in
`ref`).

A file's verdict is used again, without reading the file, only while everything it was made
from is as it was: the file's bytes (SHA-256, hashed at every check), the rules (the program's
own code, `rules_digest`), the unit tree, the addresses and helpers it looked up in other
files (an address's survey day, a helper's side and name), and the day: a clean verdict holds
on any later day (every rule about today forbids a date after it), a verdict with problems
only on its own day. So after a save of one commune, a check reads that commune's file and
the files whose records referred to what changed, and hashes the others.

The index is never the source of truth: `nhandao check --full` checks every record of the
loaded store as before, and so does any check the index cannot serve (a damaged unit file,
restored from its backups; a store another program holds).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import orjson

import campaign
from campaign.validation import Known
from store import hlc, strict_json
from store.index import SummaryIndex, Verdict
from store.national import Checked
from store.store import Store, ahead_problem, file_problems, kind_of_table

# The code the verdicts depend on: the rules, and the checks of stored documents.
_RULES_SOURCES = (
    *sorted(Path(campaign.__file__).parent.glob("*.py")),
    Path(__file__).with_name("store.py"),
    Path(__file__),
)


def rules_digest(units: object) -> bytes:
    """What a verdict was found by besides the file: the program's rules and the unit tree."""
    digest = hashlib.sha256()
    try:
        for source in _RULES_SOURCES:
            digest.update(source.read_bytes())
    except OSError:  # the code cannot be read (a frozen build): no verdict is used again
        digest.update(os.urandom(32))
    digest.update(orjson.dumps(units, option=orjson.OPT_SORT_KEYS))
    return digest.digest()


def check_from_index(store: Store, index: SummaryIndex) -> Checked:
    """`Store.verify` of a store opened without its records, whose index `refresh`ed."""
    units = store.units.as_mapping()
    rules = rules_digest(units)
    today = store.today()
    files, _backed_up_only = store.units_on_disk()  # none: the index refreshed
    unchecked = index.unchecked(rules, today.isoformat())
    kept = index.verdicts()
    checked = Checked(problems=store.verify_tree())
    made: list[Verdict] = []
    ahead: list[str] = []
    now = hlc.now_ms()
    for code in sorted(files):
        if code in unchecked or code not in kept:
            payload = files[code].read_bytes()
            data = strict_json.loads(payload)
            assert isinstance(data, dict)  # its shape was checked when it was indexed
            addresses, helpers = index.lookup("address"), index.lookup("helper")
            problems = file_problems(code, data, Known(units, addresses, helpers, today))
            newest = max(
                (
                    document["v"]
                    for table, documents in data.items()
                    if kind_of_table(table) is not None
                    for document in documents.values()
                ),
                default="",
            )
            sha256 = hashlib.sha256(payload).digest()
            if sha256 == index.sha256(code):
                looked_up = [*addresses.found.items(), *helpers.found.items()]
                made.append(
                    Verdict(code, sha256, rules, today.isoformat(), newest, problems, looked_up)
                )
        else:
            problems, newest = kept[code]
        checked.problems += problems
        if newest and hlc.is_ahead(newest, now):
            ahead.append(code)
    index.keep_verdicts(made)
    if ahead:
        checked.problems.append(ahead_problem(sum(_ahead(files[code], now) for code in ahead)))
    checked.files, checked.addresses, checked.aid = index.totals()
    return checked


def _ahead(path: Path, now: int) -> int:
    """The records of one unit file whose version is more than a day ahead of `now`."""
    data = strict_json.loads(path.read_bytes())
    assert isinstance(data, dict)
    return sum(
        hlc.is_ahead(document["v"], now)
        for table, documents in data.items()
        if kind_of_table(table) is not None
        for document in documents.values()
    )
