"""The stdlib_only import-linter contract (tools/import_contracts.py) on small import graphs."""

from __future__ import annotations

import pytest
from grimp import ImportGraph

from tools.import_contracts import StdlibOnlyContract


def _graph(*imports: tuple[str, str]) -> ImportGraph:
    graph = ImportGraph()
    for name in ("pkg", "pkg.domain", "pkg.domain.model", "pkg.domain.rules", "pkg.infra"):
        graph.add_module(name)
    for importer, imported in imports:
        if imported not in graph.modules and not imported.startswith("pkg"):
            graph.add_module(imported, is_squashed=True)  # external, as grimp adds them
        graph.add_import(importer=importer, imported=imported, line_number=3, line_contents="")
    return graph


def _contract(external: bool = True, allowed: list[str] | None = None) -> StdlibOnlyContract:
    options: dict[str, object] = {"source_modules": ["pkg.domain"]}
    if allowed is not None:
        options["allowed_modules"] = allowed
    return StdlibOnlyContract(
        name="domain is stdlib only",
        session_options={"root_packages": ["pkg"], "include_external_packages": str(external)},
        contract_options=options,
    )


def test_standard_library_and_the_package_itself_are_allowed() -> None:
    graph = _graph(
        ("pkg.domain.model", "dataclasses"),
        ("pkg.domain.model", "__future__"),
        ("pkg.domain.rules", "pkg.domain.model"),
        ("pkg.infra", "sqlalchemy"),  # outside the source package: not this contract's business
    )
    assert _contract().check(graph, verbose=False).kept


def test_any_third_party_package_is_a_violation_even_one_nobody_listed() -> None:
    graph = _graph(("pkg.domain.rules", "dataclasses"), ("pkg.domain.rules", "brand_new_lib"))
    check = _contract().check(graph, verbose=False)
    assert not check.kept
    assert check.metadata["violations"] == [
        {"importer": "pkg.domain.rules", "imported": "brand_new_lib", "line_numbers": (3,)}
    ]


def test_first_party_packages_outside_the_allowed_ones_are_violations() -> None:
    graph = _graph(("pkg.domain.model", "pkg.infra"))
    check = _contract().check(graph, verbose=False)
    assert [v["imported"] for v in check.metadata["violations"]] == ["pkg.infra"]


def test_a_graph_without_external_packages_is_refused_rather_than_passed() -> None:
    with pytest.raises(ValueError, match="include_external_packages"):
        _contract(external=False).check(_graph(), verbose=False)


def test_a_package_named_as_allowed_passes_and_only_that_one() -> None:
    graph = _graph(
        ("pkg.domain.rules", "numpy"),
        ("pkg.domain.model", "pandas"),
    )
    check = _contract(allowed=["numpy"]).check(graph, verbose=False)
    assert not check.kept
    assert [v["imported"] for v in check.metadata["violations"]] == ["pandas"]
    assert _contract(allowed=["numpy", "pandas"]).check(graph, verbose=False).kept
