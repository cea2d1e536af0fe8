"""JSON nesting depth, counted as a body streams in (API.md: deeper than 64 levels is a 400).

One scan for REST and GraphQL alike, before any parser recurses: only the structural
characters are visited (a regular expression finds them), so a small body costs
microseconds and a 1 MB one a few milliseconds.
"""

from __future__ import annotations

import re

MAX_JSON_DEPTH = 64
_STRUCTURE = re.compile(rb'[\[\]{}"\\]')


class JsonDepth:
    """Feed a body's chunks; ``feed`` tells when the nesting goes past the limit."""

    def __init__(self, limit: int = MAX_JSON_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.escaped = False  # the previous chunk ended with a backslash inside a string

    def feed(self, chunk: bytes) -> bool:
        skip = 0 if self.escaped else -1  # the index of an escaped byte in this chunk
        self.escaped = False
        for match in _STRUCTURE.finditer(chunk):
            at = match.start()
            if at == skip:
                continue
            char = chunk[at]
            if self.in_string:
                if char == 0x5C:  # backslash: the next byte is escaped
                    skip = at + 1
                    self.escaped = skip == len(chunk)
                elif char == 0x22:
                    self.in_string = False
            elif char == 0x22:
                self.in_string = True
            elif char in (0x5B, 0x7B):
                self.depth += 1
                if self.depth > self.limit:
                    return True
            elif char in (0x5D, 0x7D):
                self.depth -= 1
        return False
