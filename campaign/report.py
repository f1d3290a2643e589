"""The figures of the review report (Đề cương báo cáo) that the summary tally does not hold.

The report of a unit over a period uses the tally (`campaign.tally`) for the survey, the
dossiers, the help, the year-by-year flows and the groups, and this module for the rest:

- the chapters' assessments: the chapters are the unit's direct children (a unit without
  children is its own chapter), as for the award scores;
- the models of the unit's subtree that had started by the end of the period (or carry no start
  date), by type in the outline's order, then by unit in directory order, then by name;
- the addresses surveyed on or before the last day of the period, and the grassroots chapters
  with at least one address helped in the period: the baselines of the targets in section IV.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from campaign.awards import ASSESSMENT_FLAGS
from campaign.dataset import Dataset
from campaign.dates import Period
from campaign.tally import Tally, helped_addresses, tally
from campaign.text import collation_key
from campaign.vocab import GRASSROOTS_KINDS, MODEL_TYPES


@dataclass
class Assessments:
    """How many of the chapters' assessments say yes to each flag."""

    chapters: int = 0
    missing: int = 0
    flags: Counter[str] = field(default_factory=Counter)

    @property
    def assessed(self) -> int:
        return self.chapters - self.missing


@dataclass
class ReportFigures:
    """Everything the report draft fills in from the records."""

    tally: Tally
    assessments: Assessments
    models: dict[str, list[dict]]  # by type, in MODEL_TYPES order; only types with models
    surveyed: int
    chapters_helping: int

    @property
    def model_count(self) -> int:
        return sum(len(models) for models in self.models.values())


def report_figures(data: Dataset, unit: str, period: Period) -> ReportFigures:
    """Count what the report of `unit` over `period` states."""
    tree = data.units
    scope = tree.subtree(unit)
    order = {code: position for position, code in enumerate(scope)}

    chapters = [c["code"] for c in tree.children(unit)] or [unit]
    answers = {a["unit"]: a for a in data.assessments if not a.get("deleted")}
    assessments = Assessments(chapters=len(chapters))
    for chapter in chapters:
        answer = answers.get(chapter)
        if answer is None:
            assessments.missing += 1
            continue
        assessments.flags.update(flag for flag in ASSESSMENT_FLAGS if answer.get(flag))

    models: dict[str, list[dict]] = {}
    for model in data.models:
        if model.get("deleted") or model["unit"] not in order:
            continue
        started = model.get("started_on")
        if started is not None and started > period.end:
            continue
        models.setdefault(model["type"], []).append(model)
    by_type = {
        kind: sorted(models[kind], key=lambda m: (order[m["unit"]], collation_key(m["name"])))
        for kind in MODEL_TYPES
        if kind in models
    }

    helped = helped_addresses(data, period)
    surveyed = 0
    helping: set[str] = set()
    for address in data.addresses:
        if address.get("deleted") or address["unit"] not in order:
            continue
        surveyed_on = address.get("surveyed_on")
        if surveyed_on is not None and surveyed_on <= period.end:
            surveyed += 1
        if address["id"] in helped and tree[address["unit"]]["kind"] in GRASSROOTS_KINDS:
            helping.add(address["unit"])

    return ReportFigures(
        tally=tally(data, unit, period),
        assessments=assessments,
        models=by_type,
        surveyed=surveyed,
        chapters_helping=len(helping),
    )
