"""Screens in small terminals: 60×20 (home, addresses, an address, helpers) and the assessment
table at 80×24, compared with pictures a person looked at and accepted.

The fixtures are those of test_snapshots.py (the commune demo, today fixed). After a deliberate
change: `pytest tests/tui/test_snapshots_small.py --snapshot-update`, then look at each SVG.
"""

from __future__ import annotations

from test_snapshots import app_on, demo_commune, figures_counted

__all__ = ["app_on", "demo_commune"]  # fixtures, used by name

SMALL = (60, 20)


def test_home_at_60x20(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    """The menu first, in one column, nothing overlapping; the figures below it."""
    assert snap_compare(app_on(), run_before=figures_counted, terminal_size=SMALL)


def test_addresses_at_60x20(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    """Names keep their room; the filters two by two, none cut mid-word."""
    assert snap_compare(app_on(), press=["a"], terminal_size=SMALL)


def test_address_detail_at_60x20(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    """The aid shows its value; the entry row on two lines."""
    press = ["a", *"nguyen thi anh", "enter", "enter"]
    assert snap_compare(app_on(), press=press, terminal_size=SMALL)


def test_helpers_at_60x20(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["h"], terminal_size=SMALL)


def test_assessment_headers_at_80x24(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    """«Mô hình tiêu biểu» and «Đúng hướng dẫn» on two lines, not cut."""
    assert snap_compare(app_on(), press=["d"], terminal_size=(80, 24))
