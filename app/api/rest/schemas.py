"""Shared pydantic building blocks: strict request models, bounded strings, pages."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=10_000)]


class Request(BaseModel):
    """Base for request bodies: unknown (and server-owned) fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last"
    )
