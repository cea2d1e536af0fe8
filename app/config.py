"""Settings: one pydantic-settings object reads every environment variable (API.md)."""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHARTER_", extra="ignore")

    database_url: str | None = Field(default=None, validation_alias=AliasChoices("DATABASE_URL"))
    data_dir: Path = Path(".charter")
    env: Literal["development", "production"] = "development"
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_jwks_url: str | None = None
    jwt_issuer: str = "charter"
    jwt_audience: str = "charter-api"
    max_body_bytes: int = 1_048_576
    db_pool_size: int = 10
    # Bounds on waiting for the database (API.md: a stuck lock costs a 503, not a hung request).
    db_statement_timeout_ms: int = Field(default=10_000, ge=0)
    db_lock_timeout_ms: int = Field(default=2_000, ge=0)
    db_pool_timeout_ms: int = Field(default=5_000, ge=1)
    db_connect_timeout_ms: int = Field(default=5_000, ge=1)
    # How long SIGTERM waits for requests in flight before cancelling them.
    shutdown_timeout_s: int = Field(default=20, ge=1)
    # REST versioned writes (PATCH, DELETE, transitions, decisions, ...) without If-Match: 428.
    require_if_match: bool = False
    graphql_max_depth: int = 12
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 5_000
    # Query cost (README "GraphQL"): the README's and the load benchmark's queries fit.
    graphql_max_cost: int = Field(default=25_000, ge=1)
    graphql_timeout_seconds: float = Field(default=10.0, gt=0)
    # GraphQL subscriptions (README "Events"): per WebSocket connection, and how long a
    # connection with no subscription stays open.
    ws_max_subscriptions: int = Field(default=20, ge=1)
    ws_idle_seconds: float = Field(default=60.0, gt=0)
    # Webhooks (README "Events"): private/loopback endpoint URLs (default: allowed in
    # development only), the retry schedule's scale (1 = Standard Webhooks'), delivery
    # workers in this process (0: none), how often they look for due deliveries, and
    # how long a claimed delivery is theirs before another process may send it again.
    webhook_allow_private: bool | None = None
    webhook_retry_scale: float = Field(default=1.0, gt=0)
    webhook_workers: int = Field(default=1, ge=0, le=1)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_lease_seconds: int = Field(default=60, ge=1)  # a claimed delivery's lease
    # Logs (README "Operations"): JSON lines by default in production, text in development.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @property
    def resolved_log_format(self) -> Literal["json", "text"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.production else "text"

    # Browser origins allowed to call /graphql and /api/v1 (CORS), comma-separated, e.g.
    # "https://app.example.com,http://localhost:5173"; "*" allows any. None by default.
    cors_origins: str = ""

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def webhooks_may_be_private(self) -> bool:
        if self.webhook_allow_private is None:
            return not self.production
        return self.webhook_allow_private

    @property
    def jwt_algorithm(self) -> str:
        """The pinned algorithm: RS256 when a public key or JWKS URL is configured, else HS256."""
        return "RS256" if (self.jwt_public_key or self.jwt_jwks_url) else "HS256"

    def resolved_jwt_secret(self) -> str | None:
        """Return the HS256 secret; in development generate one once and keep it in the data dir."""
        if self.jwt_secret or self.jwt_algorithm != "HS256":
            return self.jwt_secret
        if self.production:
            raise RuntimeError(
                "CHARTER_JWT_SECRET (or a public key / JWKS URL) is required in production"
            )
        path = self.data_dir / "jwt-secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


# CHARTER_ variables read by something other than Settings (the test suite's database).
OTHER_VARIABLES = frozenset({"CHARTER_TEST_DATABASE_URL"})


def known_variables() -> frozenset[str]:
    prefix = Settings.model_config.get("env_prefix", "")
    names = {
        prefix + name.upper()
        for name, field in Settings.model_fields.items()
        if field.validation_alias is None
    }
    return frozenset(names | OTHER_VARIABLES)


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """One warning per ``CHARTER_*`` variable that nothing reads (a typo is otherwise silently
    ignored), with the closest known name when there is one."""
    known = known_variables()
    warnings = []
    for name in sorted(environ):
        if not name.startswith("CHARTER_") or name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else ""
        warnings.append(f"unknown environment variable {name} is ignored{hint}")
    return warnings
