"""The results of idempotent commands as JSON, and back (the idempotency store keeps them).

A use case's result (dataclasses, named tuples, enums, ids, decimals, dates and times of
``app.domain``) is stored once, by whichever adapter ran the command, and rebuilt for a
replay, which each adapter renders in its own shape: so a key first used over REST
replays over GraphQL and the other way round. Values are tagged with their types, and
only classes of ``app.domain`` are ever built from stored JSON.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

DOMAIN = "app.domain."


def dumps(result: Any) -> str:
    """A result as compact JSON text."""
    return json.dumps(encode(result), separators=(",", ":"))


def loads(text: str) -> Any:
    """The result ``dumps`` stored, rebuilt."""
    return decode(json.loads(text))


def encode(value: Any) -> Any:
    """A use case's result as JSON, with its types tagged (see ``decode``)."""
    if isinstance(value, Enum):  # before str and int: a StrEnum is a str
        return {"$enum": _name(type(value)), "value": encode(value.value)}
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):  # a NamedTuple
        names: tuple[str, ...] = getattr(type(value), "_fields")  # noqa: B009
        fields = {name: encode(getattr(value, name)) for name in names}
        return {"$nt": _name(type(value)), "fields": fields}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {"$set": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return {"$dc": _name(type(value)), "fields": fields}
    raise TypeError(f"cannot store a {type(value).__name__} as an idempotent result")


def decode(value: Any) -> Any:
    """The inverse of ``encode``; classes only of ``app.domain`` (dataclasses and enums)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$dc" in value:
        cls = _class(value["$dc"])
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{value['$dc']} is not a dataclass")
        return cls(**{k: decode(v) for k, v in value["fields"].items()})
    if "$nt" in value:
        named = _class(value["$nt"])
        if not (issubclass(named, tuple) and hasattr(named, "_fields")):
            raise TypeError(f"{value['$nt']} is not a named tuple")
        return named(**{k: decode(v) for k, v in value["fields"].items()})
    if "$enum" in value:
        enum = _class(value["$enum"])
        if not issubclass(enum, Enum):
            raise TypeError(f"{value['$enum']} is not an enum")
        return enum(decode(value["value"]))
    if "$uuid" in value:
        return UUID(value["$uuid"])
    if "$decimal" in value:
        return Decimal(value["$decimal"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$tuple" in value:
        return tuple(decode(v) for v in value["$tuple"])
    if "$set" in value:
        return frozenset(decode(v) for v in value["$set"])
    if "$dict" in value:
        return {decode(k): decode(v) for k, v in value["$dict"]}
    raise TypeError("an untagged object in a stored result")


def _name(cls: type) -> str:
    if not cls.__module__.startswith(DOMAIN):
        raise TypeError(f"{cls.__module__}.{cls.__qualname__} is not a domain type")
    return f"{cls.__module__}:{cls.__qualname__}"


def _class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not module.startswith(DOMAIN):
        raise TypeError(f"{module} is not a domain module")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    if not isinstance(found, type):
        raise TypeError(f"{name} is not a class")
    return found
