"""The unit of work of the people register; every capability's unit of work extends it."""

from __future__ import annotations

from typing import Protocol

from app.domain.common.ports import UnitOfWork
from app.domain.people.model import PersonRepository


class PeopleUnitOfWork(UnitOfWork, Protocol):
    @property
    def people(self) -> PersonRepository: ...
