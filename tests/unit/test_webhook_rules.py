"""Webhook rules: URLs (private ones refused in production), event types, the retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.common.errors import ValidationFailed
from app.domain.webhooks.model import RETRY_DELAYS, check_event_types, check_url, next_attempt

NOW = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x", "http://localhost:8080/x", "http://10.0.0.5/x",
        "http://192.168.1.1/x", "http://169.254.169.254/latest", "http://[::1]/x",
        "http://api.localhost/x", "http://0.0.0.0/x",
    ],
)  # fmt: skip
def test_private_and_loopback_urls_are_refused_unless_allowed(url: str) -> None:
    with pytest.raises(ValidationFailed):
        check_url(url, allow_private=False)
    assert check_url(url, allow_private=True) == url


def test_public_urls_pass() -> None:
    assert check_url("https://hooks.example.com/a?b=1", allow_private=False)


def test_event_types_known_and_deduplicated() -> None:
    assert check_event_types(["project.updated", "project.updated"]) == ["project.updated"]
    assert check_event_types([]) == []
    with pytest.raises(ValidationFailed):
        check_event_types(["ledger.posted"])


def test_retries_follow_the_standard_webhooks_schedule_with_jitter() -> None:
    assert RETRY_DELAYS == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    for made, delay in enumerate(RETRY_DELAYS[1:], 1):
        at = next_attempt(made, NOW)
        assert at is not None
        assert timedelta(seconds=delay * 0.8) <= at - NOW <= timedelta(seconds=delay * 1.2)
    assert next_attempt(len(RETRY_DELAYS), NOW) is None  # about 28 h in all: give up
    assert sum(RETRY_DELAYS) / 3600 > 24
