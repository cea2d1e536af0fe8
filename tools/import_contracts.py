"""Custom import-linter contract types (registered in pyproject.toml under contract_types).

``stdlib_only``: the source packages may import the standard library and themselves,
nothing else. A ``forbidden`` contract has to name every framework, and a new
dependency slips past it; this one reads the standard library's own list of its modules
(``sys.stdlib_module_names``), so it cannot go stale.
"""

from __future__ import annotations

import sys
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


def _top_level(module: str) -> str:
    return module.partition(".")[0]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class StdlibOnlyContract(Contract):
    """Source packages import only the standard library and the source packages.

    Options:
        source_modules: packages checked, with every module inside them.
        allowed_modules: (optional) non-standard packages named one by one that they may
            import as well (the domain's numpy: a numeric library, not a framework).
    """

    type_name = "stdlib_only"

    source_modules = fields.SetField(subfield=fields.ModuleField())
    allowed_modules = fields.SetField(subfield=fields.ModuleField(), required=False, default=set())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = sorted(m.name for m in self.source_modules)  # type: ignore[attr-defined]
        allowed = sorted(m.name for m in self.allowed_modules)  # type: ignore[attr-defined]
        for name in sources:
            if name not in graph.modules:
                raise ValueError(f"Module '{name}' does not exist.")
        if str(self.session_options.get("include_external_packages")).lower() != "true":
            # Without external packages in the graph, an import of a framework is invisible.
            raise ValueError("stdlib_only needs include_external_packages = true.")

        violations: list[dict[str, Any]] = []
        importers = sorted({m for s in sources for m in {s, *graph.find_descendants(s)}})
        for importer in importers:
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if _top_level(imported) in sys.stdlib_module_names:
                    continue
                if any(_within(imported, package) for package in sources):
                    continue
                if any(_within(imported, package) for package in allowed):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                violations.append(
                    {
                        "importer": importer,
                        "imported": imported,
                        "line_numbers": tuple(d["line_number"] for d in details),
                    }
                )
            output.verbose_print(verbose, f"Checked the imports of {importer}.")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Only the standard library and the source packages may be imported:")
        output.new_line()
        for v in check.metadata["violations"]:
            lines = ", ".join(f"l.{n}" for n in v["line_numbers"]) or "l.?"
            output.print_error(f"-   {v['importer']} -> {v['imported']} ({lines})", bold=False)
        output.new_line()
