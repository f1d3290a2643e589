"""What a record's version may look like: `hlc.is_version`, read for every record a store opens."""

from hypothesis import given
from hypothesis import strategies as st

from store import hlc


def _parses_without_spaces(value: object) -> bool:
    """The definition, spelled out slowly: text that `hlc.parse` reads, with no white space."""
    if not isinstance(value, str) or any(ch.isspace() for ch in value):
        return False
    try:
        hlc.parse(value)
    except ValueError:
        return False
    return True


def test_versions_the_program_writes_are_well_formed() -> None:
    assert hlc.is_version(hlc.format_version(1733000000000, 0, "72-a91f"))
    assert hlc.is_version("17330000000000-0001-72")  # a clock set centuries ahead: still read


def test_white_space_anywhere_makes_a_version_broken() -> None:
    for broken in (
        "1733000000000-0000-72 a91f",
        "1733000000000-0000-72\u2003",  # an em space, as a word processor might leave
        "1733000000000-0000-\n72",
        " 1733000000000-0000-72",
    ):
        assert not hlc.is_version(broken), broken


def test_what_is_not_a_version() -> None:
    for broken in ("", "1733000000000-0000-", "1733000000000-000-72", "x-0000-72", None, 17, []):
        assert not hlc.is_version(broken), broken


@given(st.text(alphabet="0123456789-- \t\u00a0\u2028ab٣", max_size=30))
def test_the_fast_test_is_the_definition(value: str) -> None:
    assert hlc.is_version(value) == _parses_without_spaces(value)


@given(st.integers(0, 10**20 - 1), st.integers(0, 9999), st.text(min_size=1, max_size=12))
def test_the_fast_test_is_the_definition_near_real_versions(
    ms: int, counter: int, node: str
) -> None:
    value = f"{ms:013d}-{counter:04d}-{node}"
    assert hlc.is_version(value) == _parses_without_spaces(value)
