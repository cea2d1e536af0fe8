"""The lock files agree with pyproject.toml and with each other (else: run `make lock`).

`make test` installs only what requirements-dev.lock pins, so a dependency added to
pyproject.toml without re-locking would otherwise surface as an ImportError somewhere, or
not at all until the image (requirements.lock) is built.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
# The platform the locks are resolved for (`make lock`): linux x86_64, CPython 3.11.
MARKERS = {"python_version": "3.11", "sys_platform": "linux", "platform_system": "Linux",
           "platform_machine": "x86_64", "implementation_name": "cpython"}  # fmt: skip


def _pins(lock: str) -> dict[str, tuple[str, frozenset[str]]]:
    """Name -> (version, hashes) of every pin in a lock file."""
    pins: dict[str, tuple[str, frozenset[str]]] = {}
    name = ""
    for line in (ROOT / lock).read_text().splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            pins[name] = (match[2], frozenset())
        elif name and (found := re.search(r"--hash=(sha256:[0-9a-f]{64})", line)):
            version, hashes = pins[name]
            pins[name] = (version, hashes | {found[1]})
    return pins


def _declared(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(r) for r in [*listed, *build]]


def _unmet(
    requirements: list[Requirement], pins: dict[str, tuple[str, frozenset[str]]]
) -> list[str]:
    unmet = []
    for req in requirements:
        if req.marker is not None and not req.marker.evaluate(MARKERS):
            continue
        pinned = pins.get(canonicalize_name(req.name))
        if pinned is None or not req.specifier.contains(pinned[0], prereleases=True):
            unmet.append(f"{req} (locked: {pinned[0] if pinned else 'absent'})")
    return unmet


def test_the_dev_lock_pins_every_dependency_and_dev_extra_within_its_bounds() -> None:
    pins = _pins("requirements-dev.lock")
    assert _unmet(_declared(None) + _declared("dev"), pins) == [], "run `make lock`"


def test_the_runtime_lock_pins_every_dependency_and_no_dev_tool() -> None:
    pins = _pins("requirements.lock")
    assert _unmet(_declared(None), pins) == [], "run `make lock`"
    assert {"pytest", "mypy", "ruff", "uv"}.isdisjoint(pins)


def test_the_runtime_lock_is_the_dev_lock_less_the_dev_tools() -> None:
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert runtime.keys() <= dev.keys()
    assert {name: runtime[name] for name in runtime} == {name: dev[name] for name in runtime}
    assert all(hashes for _, hashes in runtime.values()), "every pin carries its hashes"
