"""The streaming JSON depth count: brackets inside strings and escapes do not count, and a
body split anywhere counts the same."""

from __future__ import annotations

import json

import pytest

from app.api.json_depth import JsonDepth


def deep(n: int) -> str:
    return "[" * n + "]" * n


@pytest.mark.parametrize(
    ("text", "too_deep"),
    [
        (deep(64), False),
        (deep(65), True),
        (json.dumps({"a": "[" * 100}), False),
        (json.dumps({"a": 'x"' + "[" * 100}), False),
        (json.dumps({"a": "\\"}) + deep(65), True),
        (json.dumps({"a": [{"b": [1, 2, {"c": "]]]"}]}]}), False),
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 4096])
def test_depth_is_counted_outside_strings_across_chunks(
    text: str, too_deep: bool, chunk: int
) -> None:
    counter = JsonDepth()
    body = text.encode()
    assert any(counter.feed(body[i : i + chunk]) for i in range(0, len(body), chunk)) is too_deep
