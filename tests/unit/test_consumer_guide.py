"""docs/consumer-guide.md lists every error code the source can emit (issue 15).

The codes are read from the source, not from a list kept by hand: a ``code = "..."``
in a class (the domain error tree), a ``"code": "..."`` in a dict literal (problem bodies
built by hand, GraphQL ``extensions``), the values of a ``*_CODES`` table (HTTP statuses
to codes, domain errors to GraphQL codes), the code argument of ``problem(...)`` and
``_problem(...)``, and a gate condition's ``gate = "..."`` (the ``unmet`` entries of
``phase_gate_unmet``). A code in the source but not in the guide fails, and so does a
code in the guide's tables that the source no longer has.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "consumer-guide.md"
CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$|^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
# Positional index of the code argument of the two problem builders.
BUILDERS = {"problem": 2, "_problem": 3}


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
        return node.value
    return None


def source_codes() -> tuple[set[str], set[str]]:
    """(error codes, gate condition codes) found in app/."""
    errors: set[str] = set()
    gates: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                        target = stmt.targets[0]
                        name = target.id if isinstance(target, ast.Name) else None
                        value = _text(stmt.value)
                        if value and name == "code":
                            errors.add(value)
                        elif value and name == "gate":
                            gates.add(value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if _text(key) == "code" and _text(value):
                        errors.add(str(_text(value)))
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                named = [t.id for t in targets if isinstance(t, ast.Name)]
                if any(n.endswith("_CODES") for n in named) and isinstance(node.value, ast.Dict):
                    errors |= {v for v in map(_text, node.value.values) if v}
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else None
                if name in BUILDERS and len(node.args) > BUILDERS[name]:
                    value = _text(node.args[BUILDERS[name]])
                    if value:
                        errors.add(value)
    return errors, gates


def guide_codes() -> set[str]:
    """The codes of the guide's tables: the first cell of each row, in backticks."""
    return set(re.findall(r"^\| `([A-Za-z_0-9]+)` \|", GUIDE.read_text(), re.M))


def test_the_source_codes_are_found() -> None:
    """The extraction itself works: codes of each kind of source are among the found."""
    errors, gates = source_codes()
    for code in (
        "validation_failed",  # the domain error tree
        "phase_gate_unmet",
        "request_header_fields_too_large",  # a problem body built by hand
        "payload_too_large",  # middleware's _problem
        "malformed_json",  # problems.problem(...)
        "method_not_allowed",  # HTTP_CODES
        "QUERY_TOO_COMPLEX",  # GraphQL extensions
        "UNAUTHENTICATED",  # GraphQL ERROR_CODES
    ):
        assert code in errors, code
    assert {"sponsor_named", "closure_report_written"} <= gates
    assert len(errors) >= 30


def test_the_guide_lists_every_code_the_source_can_emit() -> None:
    errors, gates = source_codes()
    listed = guide_codes()
    missing = sorted((errors | gates) - listed)
    assert not missing, f"codes in app/ but not in docs/consumer-guide.md: {missing}"


def test_the_guide_lists_no_code_the_source_lacks() -> None:
    errors, gates = source_codes()
    stale = sorted(guide_codes() - errors - gates)
    assert not stale, f"codes in docs/consumer-guide.md that app/ no longer has: {stale}"
