"""Verified tokens are remembered briefly, never past their expiry."""

from __future__ import annotations

import asyncio

import pytest

from app.api.auth import Authenticator, JwtSettings, issue_token
from app.domain.common.errors import Unauthenticated

SECRET = "s" * 40


async def test_a_cached_token_is_still_refused_once_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    authenticator = Authenticator(JwtSettings("HS256", "charter", "charter-api", secret=SECRET))
    token = issue_token(
        SECRET, org="o", sub="u", roles=["viewer"], issuer="charter", audience="charter-api", ttl=1
    )
    header = f"Bearer {token}"
    first = await authenticator.authenticate(header)
    assert await authenticator.authenticate(header) == first  # served from the cache
    assert token in authenticator._verified
    await asyncio.sleep(2.05)  # past the whole second the token expires at
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(header)


async def test_a_forged_token_is_never_served_from_the_cache() -> None:
    authenticator = Authenticator(JwtSettings("HS256", "charter", "charter-api", secret=SECRET))
    good = issue_token(
        SECRET, org="o", sub="u", roles=["viewer"], issuer="charter", audience="charter-api"
    )
    await authenticator.authenticate(f"Bearer {good}")
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(f"Bearer {good[:-2]}xx")
