"""The benchmarks' tables of figures: aligned text for a terminal, or Markdown for
docs/PERFORMANCE.md. Imported by the scripts beside it (their folder is first on the path)."""

from __future__ import annotations


def table(cells: list[list[str]], markdown: bool, right: int) -> str:
    """The first row is the heading; columns from `right` on are numbers, aligned right."""
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]

    def line(row: list[str]) -> str:
        padded = [
            c.rjust(w) if i >= right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |" if markdown else "  ".join(padded).rstrip()

    rule = ["-" * w if i < right else "-" * (w - 1) + ":" for i, w in enumerate(widths)]
    separator = line(rule) if markdown else "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), separator, *map(line, cells[1:])])
