"""The strict JSON reader (store/strict_json.py): orjson's values, a key twice refused at any
depth, integers beyond 64 bits refused, and its fast path agreeing with its second pass."""

from __future__ import annotations

import json
from collections.abc import Callable

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign.text import quoted
from store import strict_json
from store.strict_json import DuplicateKeyError, IntegerTooLargeError, StrictJSONError

# ----------------------------------------------------------------- JSON text, written any way

# A JSON value as a tree whose objects are lists of (key, value) pairs, so that a key can be
# written twice (a dict cannot hold that).
Pairs = list


def _keys() -> st.SearchStrategy[str]:
    # Text without lone surrogates (orjson refuses them, and so does JSON as UTF-8).
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=6)


def _objects(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.dictionaries(_keys(), children, max_size=5).map(lambda d: ("obj", list(d.items())))


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _keys()
)
VALUES = st.recursive(
    LEAVES, lambda children: st.lists(children, max_size=5) | _objects(children), max_leaves=25
)


@st.composite
def layouts(draw: st.DrawFn) -> dict:
    """How a writer lays JSON out: spaces, indents, escapes, line ends."""
    return {
        "indent": draw(st.sampled_from([None, 0, 1, 2, "\t"])),
        "item": draw(st.sampled_from([",", ", ", " , "])),
        "key": draw(st.sampled_from([":", ": ", " : "])),
        "ascii": draw(st.booleans()),
        "end": draw(st.sampled_from(["", "\n", "\r\n", " "])),
    }


def write(value: object, layout: dict, duplicate: tuple[int, object] | None = None) -> bytes:
    """`value` as JSON text laid out as `layout`; with `duplicate` (n, other), the n-th object
    met (in document order, modulo their number) gets its first key written once more before
    the others, with `other` as its value, the way a careless or hostile writer would."""
    objects = []

    def find(node: object) -> None:
        if isinstance(node, tuple):
            objects.append(node)
            for _key, child in node[1]:
                find(child)
        elif isinstance(node, list):
            for child in node:
                find(child)

    find(value)
    target = None
    if duplicate is not None:
        candidates = [o for o in objects if o[1]]
        target = candidates[duplicate[0] % len(candidates)]

    def scalar(node: object) -> str:
        return json.dumps(node, ensure_ascii=layout["ascii"])

    def emit(node: object, depth: int) -> str:
        indent = layout["indent"]
        if isinstance(node, tuple):
            pairs = list(node[1])
            if node is target:
                assert duplicate is not None
                pairs.insert(0, (pairs[0][0], duplicate[1]))
            items = [scalar(k) + layout["key"] + emit(v, depth + 1) for k, v in pairs]
            opening, closing = "{", "}"
        elif isinstance(node, list):
            items = [emit(v, depth + 1) for v in node]
            opening, closing = "[", "]"
        else:
            return scalar(node)
        if not items:
            return opening + closing
        if indent is None:
            return opening + layout["item"].join(items) + closing
        step = indent if isinstance(indent, str) else " " * indent
        inner = "\n" + step * (depth + 1)
        return opening + inner + ("," + inner).join(items) + "\n" + step * depth + closing

    return (emit(value, 0) + layout["end"]).encode("utf-8")


def plain(node: object) -> object:
    """The tree as Python values (dicts), as a parser gives it."""
    if isinstance(node, tuple):
        return {key: plain(value) for key, value in node[1]}
    if isinstance(node, list):
        return [plain(child) for child in node]
    return node


def has_object(node: object) -> bool:
    if isinstance(node, tuple):
        return bool(node[1]) or any(has_object(v) for _k, v in node[1])
    if isinstance(node, list):
        return any(has_object(child) for child in node)
    return False


# ----------------------------------------------------------------- the fast and slow paths agree


@settings(max_examples=400, deadline=None)
@given(value=VALUES, layout=layouts())
def test_any_json_without_a_key_twice_reads_as_orjson_reads_it(value: object, layout: dict) -> None:
    payload = write(value, layout)
    assert strict_json.loads(payload) == orjson.loads(payload)
    assert strict_json.loads(payload, written=strict_json.indented) == orjson.loads(payload)


@settings(max_examples=200, deadline=None)
@given(value=VALUES)
def test_what_our_writers_write_takes_the_fast_path(value: object) -> None:
    parsed = plain(value)
    for written in (strict_json.compact, strict_json.indented):
        payload = written(parsed)
        original = strict_json._second_pass
        strict_json._second_pass = _never  # type: ignore[assignment]
        try:
            assert strict_json.loads(payload, written=written) == orjson.loads(payload)
        finally:
            strict_json._second_pass = original


def _never(_text: str) -> None:
    raise AssertionError("the second pass ran on what our writer wrote")


@settings(max_examples=400, deadline=None)
@given(value=VALUES, layout=layouts(), which=st.integers(0, 1000), other=LEAVES)
def test_a_key_written_twice_anywhere_is_refused_and_named(
    value: object, layout: dict, which: int, other: object
) -> None:
    if not has_object(value):
        value = ("obj", [("k", value)])
    payload = write(value, layout, duplicate=(which, other))
    lenient = orjson.loads(payload)  # orjson keeps the last value: the text reads as intended
    assert lenient == plain(value)
    for written in (strict_json.compact, strict_json.indented):
        with pytest.raises(DuplicateKeyError) as refused:
            strict_json.loads(payload, written=written)
        assert "xuất hiện hai lần trong cùng một đối tượng JSON" in str(refused.value)
        assert quoted(refused.value.key, 60) in str(refused.value)
        assert isinstance(refused.value, orjson.JSONDecodeError)  # handled as JSON that fails


# ----------------------------------------------------------------- what a person is told


def test_a_duplicate_at_the_top_is_named_with_its_line() -> None:
    payload = b'{\n  "to": "703",\n  "kind": "records",\n  "to": "72"\n}\n'
    assert orjson.loads(payload)["to"] == "72"  # what a last-wins reader routes it to
    assert json.loads(payload, object_pairs_hook=lambda p: dict(reversed(p)))["to"] == "703"
    with pytest.raises(DuplicateKeyError) as refused:
        strict_json.loads(payload, written=strict_json.indented)
    assert str(refused.value) == "mục «to» xuất hiện hai lần trong cùng một đối tượng JSON"
    assert refused.value.key == "to" and refused.value.located
    assert (refused.value.lineno, refused.value.colno) == (1, 1)


def test_a_nested_duplicate_is_found_with_the_line_of_its_object() -> None:
    payload = b'{"files": [\n{"path": "a", "size": 1},\n{"path": "b", "size": 9, "size": 2}]}'
    with pytest.raises(DuplicateKeyError) as refused:
        strict_json.loads(payload)
    assert refused.value.key == "size"
    assert (refused.value.lineno, refused.value.colno) == (3, 1)


def test_a_key_twice_written_with_an_escape_is_still_a_key_twice() -> None:
    with pytest.raises(DuplicateKeyError, match="mục «owner»"):
        strict_json.loads(b'{"owner": "25459", "\\u006fwner": "25456"}')


def test_a_key_with_control_characters_is_shown_printable() -> None:
    with pytest.raises(DuplicateKeyError) as refused:
        strict_json.loads(b'{"a\\u0007b": 1, "a\\u0007b": 2}')
    assert "«a␇b»" in str(refused.value)  # the placeholder shown everywhere


@pytest.mark.parametrize(
    "number", ["18446744073709551616", "-9223372036854775809", "1" + "0" * 40, "-" + "7" * 300]
)
def test_integers_beyond_64_bits_are_refused_not_rounded(number: str) -> None:
    payload = f'{{"value": {number}}}'.encode()
    assert isinstance(orjson.loads(payload)["value"], float)  # orjson rounds it silently
    with pytest.raises(IntegerTooLargeError) as refused:
        strict_json.loads(payload)
    assert "vượt quá giới hạn 64 bit" in str(refused.value)
    assert str(refused.value).startswith(f"số nguyên «{number[:10]}")


@pytest.mark.parametrize("number", [2**64 - 1, -(2**63), 0, 2**53 + 1])
def test_integers_within_64_bits_are_read_exactly(number: int) -> None:
    assert strict_json.loads(f"[{number}, {number}]".encode()) == [number, number]


@pytest.mark.parametrize(
    "payload",
    [
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": -Infinity}',
        b'{"a": 1e400}',
        b'{"a": "\\ud800"}',
        b'{"a": "\xff"}',
        b'\xef\xbb\xbf{"a": 1}',
        b'{"a": 1,}',
        b"[" * 1025 + b"]" * 1025,
        b"[" + b"9" * 5000 + b"]",
        b"",
    ],
    ids=["NaN", "Infinity", "-Infinity", "huge float", "lone surrogate", "not UTF-8", "BOM",
         "trailing comma", "too deep", "integer beyond a double", "empty"],
)  # fmt: skip
def test_what_orjson_refuses_is_still_refused(payload: bytes) -> None:
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(payload)
    with pytest.raises(orjson.JSONDecodeError) as refused:
        strict_json.loads(payload)
    assert not isinstance(refused.value, StrictJSONError)


@pytest.mark.parametrize("depth", [254, 255, 600, 1000, 1023])
def test_deep_nesting_that_orjson_reads_is_read_alike(depth: int) -> None:
    # (Compared level by level: == on such values would itself recurse too deep.)
    def levels(value: object) -> tuple[int, object]:
        count = 0
        while isinstance(value, (list, dict)) and value:
            value = value[0] if isinstance(value, list) else value["a"]
            count += 1
        return count, value

    payload = b"[" * depth + b"[]" + b"]" * depth
    assert levels(strict_json.loads(payload)) == levels(orjson.loads(payload)) == (depth, [])
    nested = b'{"a":' * depth + b"1" + b"}" * depth
    assert levels(strict_json.loads(nested)) == levels(orjson.loads(nested)) == (depth, 1)


def test_a_duplicate_deep_down_is_refused() -> None:
    depth = 900
    payload = b'{"a":' * depth + b'{"b": 1, "b": 2}' + b"}" * depth
    with pytest.raises(DuplicateKeyError, match="mục «b»"):
        strict_json.loads(payload)


def test_a_writer_that_does_not_fit_the_value_only_means_the_second_pass() -> None:
    def fussy(value: object) -> bytes:
        return value["missing"]  # type: ignore[index]

    writers: list[Callable[[object], bytes]] = [fussy, lambda _v: b"other"]
    for written in writers:
        assert strict_json.loads(b'{"a": [1, 2.5, "x"]}', written=written) == {"a": [1, 2.5, "x"]}
        with pytest.raises(DuplicateKeyError):
            strict_json.loads(b'{"a": 1, "a": 1}', written=written)
