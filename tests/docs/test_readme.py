"""The README runs (issue 15, "docs that run"): its shell and GraphQL examples, extracted in
order and run against a served instance, so they cannot rot.

The convention (stated at the top of the README's quick start): every ```sh block runs, in
order, in one bash session with ``set -euo pipefail``; every ```graphql block is sent to
/graphql at its place in that order, its variables taken from the shell variables of the
same name; any other fence (console, text, json, python) is for reading only. A failing
command, an HTTP error (the examples use ``curl -fsS``), a GraphQL error or a non-empty
``userErrors`` fails the test, which names the README line of the block.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import SECRET
from tests.integration.live_helpers import serving

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GRAPHQL_RUNNER = Path(__file__).with_name("graphql_block.py")
FENCE = re.compile(r"^```([A-Za-z]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
RUNS = frozenset({"sh", "graphql"})
READ_ONLY = frozenset({"console", "text", "json", "python", ""})


def blocks(text: str) -> list[tuple[str, str, int]]:
    """Every fenced block: (language, body, line of its opening fence)."""
    return [
        (m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)
    ]


def script(text: str) -> str:
    """The README's runnable blocks as one bash script, in order."""
    parts = [
        "set -euo pipefail",
        "set -a  # every variable is exported: the GraphQL blocks use them",
    ]
    for language, body, line in blocks(text):
        if language == "sh":
            parts.append(f"echo '>>> README.md:{line}' >&2\n{body}")
        elif language == "graphql":
            parts.append(
                f"echo '>>> README.md:{line}' >&2\n"
                f"{sys.executable} {GRAPHQL_RUNNER} <<'CHARTER_README_GRAPHQL'\n"
                f"{body}CHARTER_README_GRAPHQL"
            )
    return "\n".join(parts) + "\n"


def test_every_fence_says_whether_it_runs() -> None:
    text = README.read_text()
    found = blocks(text)
    unknown = [(lang, line) for lang, _, line in found if lang not in RUNS | READ_ONLY]
    assert not unknown, f"fences of no known kind (README.md line): {unknown}"
    assert sum(lang == "sh" for lang, _, _ in found) >= 10
    assert sum(lang == "graphql" for lang, _, _ in found) >= 5
    # The walk-through's commands fail visibly: every curl in a runnable block uses -f.
    for lang, body, line in found:
        if lang == "sh":
            for command in re.findall(r"\bcurl\b[^\n]*", body):
                assert re.search(r"\s-[A-Za-z]*f[A-Za-z]*\s|\s--fail", command), (
                    f"README.md:{line}: {command}"
                )


def test_the_readme_runs_top_to_bottom(server_url: str, tmp_path: Path) -> None:
    """A served instance, a fresh organization's worth of data: every example works."""
    walk = tmp_path / "readme.sh"
    walk.write_text(script(README.read_text()))
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])  # .venv/bin/charter
    with serving(server_url) as base:
        env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
        env.update(BASE=base, CHARTER_JWT_SECRET=SECRET, PATH=os.environ.get("PATH", ""))
        env.pop("TOKEN", None)
        done = subprocess.run(
            ["bash", str(walk)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    where = [line for line in done.stderr.splitlines() if line.startswith(">>> ")]
    assert done.returncode == 0, (
        f"the README failed in the block at {where[-1] if where else '?'}:\n"
        f"{done.stderr[-3000:]}\n--- stdout ---\n{done.stdout[-3000:]}"
    )
    assert len(where) == len([b for b in blocks(README.read_text()) if b[0] in RUNS])
