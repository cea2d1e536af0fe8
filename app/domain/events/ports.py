"""The doorbell: how a process learns that an organization has new events."""

from __future__ import annotations

from typing import Protocol


class Doorbell(Protocol):
    async def wait(self, org: str, after_seq: int, at_most: float) -> None:
        """Return once ``org`` may have an event after ``after_seq``, or after ``at_most`` seconds.

        It only says "look again": readers then read the events by seq, so a missed or
        early ring loses nothing.
        """
        ...
