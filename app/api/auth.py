"""Bearer JWT verification shared by REST and GraphQL: algorithm pinned, iss/aud/exp checked."""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt
from jwt import PyJWKClient
from starlette.concurrency import run_in_threadpool

from app.domain.common.errors import Unauthenticated, Unavailable
from app.domain.common.input_rules import unsafe_text
from app.domain.common.principal import Principal, Role
from app.logs import note_caller

CLAIM_ID = re.compile(r"^.{1,64}$", re.DOTALL)
JWKS_MIN_REFRESH_SECONDS = 30.0
# Verified tokens are remembered (by their exact text) until they expire, at most this long
# (so a key withdrawn from the JWKS stops working within a minute), and a client's repeated
# calls skip the signature check; bounded, least recently used out.
VERIFIED_CACHE_SIZE = 1024
VERIFIED_CACHE_SECONDS = 60.0


@dataclass
class JwtSettings:
    algorithm: str
    issuer: str
    audience: str
    secret: str | None = None
    public_key: str | None = None
    jwks_url: str | None = None


class Authenticator:
    """Turn an ``Authorization`` header into a Principal, or raise Unauthenticated."""

    def __init__(
        self, settings: JwtSettings, jwks_min_refresh_seconds: float = JWKS_MIN_REFRESH_SECONDS
    ) -> None:
        self.settings = settings
        self.jwks_min_refresh_seconds = jwks_min_refresh_seconds
        self._jwks = (
            PyJWKClient(settings.jwks_url, cache_keys=True, lifespan=3600)
            if settings.jwks_url
            else None
        )
        self._last_jwks_refresh = 0.0
        # Recently verified tokens: token -> (principal, valid until). Clients send the same
        # token on every request, and verifying it is a noticeable share of a small request.
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    async def _key(self, token: str) -> Any:
        s = self.settings
        if s.algorithm == "HS256":
            return s.secret
        if self._jwks is None:
            return s.public_key
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise Unauthenticated("The bearer token is malformed") from None
        if not kid:
            raise Unauthenticated("The token names no signing key ('kid')")
        try:
            return await run_in_threadpool(self._jwks_key, self._jwks, kid)
        except jwt.PyJWKClientConnectionError:
            raise Unavailable("The identity provider's keys cannot be fetched") from None
        except jwt.PyJWKClientError:
            raise Unauthenticated("The token's signing key is unknown") from None

    def _jwks_key(self, jwks: PyJWKClient, kid: str) -> Any:
        """Look ``kid`` up in the cached set; refetch on a miss, at most every 30 seconds."""
        for key in jwks.get_signing_keys():
            if key.key_id == kid:
                return key.key
        now = time.monotonic()
        if now - self._last_jwks_refresh < self.jwks_min_refresh_seconds:
            return None
        self._last_jwks_refresh = now
        for key in jwks.get_signing_keys(refresh=True):
            if key.key_id == kid:
                return key.key
        return None

    async def authenticate(self, authorization: str | None) -> Principal:
        principal = await self._authenticate(authorization)
        note_caller(principal.org, principal.sub)  # for the request's access log line
        return principal

    async def _authenticate(self, authorization: str | None) -> Principal:
        if not authorization:
            raise Unauthenticated("A bearer token is required")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Use 'Authorization: Bearer <token>'")
        token = token.strip()
        hit = self._verified.get(token)
        if hit is not None:
            if time.time() < hit[1]:
                self._verified.move_to_end(token)
                return hit[0]
            del self._verified[token]  # expired (or due a fresh check): verify from scratch
        key = await self._key(token)
        if key is None:
            raise Unauthenticated("The token cannot be verified")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.settings.algorithm],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The token has expired") from None
        except jwt.PyJWTError:
            raise Unauthenticated("The token is not valid") from None
        principal = principal_from_claims(claims)
        self._remember(token, principal, int(claims["exp"]))  # as PyJWT reads it
        return principal

    def _remember(self, token: str, principal: Principal, exp: float) -> None:
        self._verified[token] = (principal, min(exp, time.time() + VERIFIED_CACHE_SECONDS))
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """Claims of exactly the documented types: no strings for numbers, no bare role."""
    sub, org, raw_roles = claims.get("sub"), claims.get("org"), claims.get("roles", [])
    for name in ("exp", "iat", "nbf"):
        if name in claims and not _numeric(claims[name]):
            raise Unauthenticated(f"The token's '{name}' must be a number")
    if not isinstance(sub, str) or not CLAIM_ID.match(sub) or unsafe_text(sub):
        raise Unauthenticated("The token's 'sub' must be a string of 1-64 characters")
    if not isinstance(org, str) or not CLAIM_ID.match(org) or unsafe_text(org):
        raise Unauthenticated("The token's 'org' must be a string of 1-64 characters")
    if not isinstance(raw_roles, list) or not all(isinstance(r, str) for r in raw_roles):
        raise Unauthenticated("The token's 'roles' must be a list of strings")
    roles = frozenset(r for r in (Role.parse(x) for x in raw_roles) if r)
    return Principal(sub=sub, org=org, roles=roles)


def issue_token(
    secret: str,
    *,
    org: str,
    sub: str,
    roles: list[str],
    issuer: str,
    audience: str,
    ttl: int = 3600,
) -> str:
    """Sign an HS256 token (development tooling and tests)."""
    now = int(time.time())
    claims = {
        "sub": sub,
        "org": org,
        "roles": roles,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")
