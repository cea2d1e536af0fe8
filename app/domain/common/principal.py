"""Who is calling, and what their organization role allows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from app.domain.common.errors import PermissionDenied


class Role(IntEnum):
    """Organization roles, lowest to highest; a higher role can do all a lower one can."""

    VIEWER = 10
    MEMBER = 20
    MANAGER = 30
    ADMIN = 40

    @classmethod
    def parse(cls, name: str) -> Role | None:
        try:
            return cls[name.upper()]
        except KeyError:
            return None


@dataclass(frozen=True)
class Principal:
    sub: str
    org: str
    roles: frozenset[Role]

    @property
    def role(self) -> Role | None:
        """Return the highest role held, or None."""
        return max(self.roles) if self.roles else None

    def has(self, role: Role) -> bool:
        top = self.role
        return top is not None and top >= role

    def require(self, role: Role) -> None:
        """Raise PermissionDenied unless the principal holds ``role`` or higher."""
        if not self.has(role):
            raise PermissionDenied(f"This needs the {role.name.lower()} role or higher")
