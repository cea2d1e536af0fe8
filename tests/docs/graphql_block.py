"""Send one GraphQL block of the README (read from stdin) to ``$BASE/graphql``.

Run by tests/docs/test_readme.py between the README's shell blocks. Each variable the
operation declares (``$PID: ID!``) takes the value of the shell variable of the same name
(the walk-through runs with ``set -a``, so its variables are in the environment). Exits
non-zero, printing the answer, on an HTTP error, any ``errors`` or a non-empty ``userErrors``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request
from typing import Any

DECLARED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z\[\]!]+)")


def _user_errors(value: Any) -> list[Any]:
    found: list[Any] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "userErrors" and inner:
                found.extend(inner)
            else:
                found.extend(_user_errors(inner))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_user_errors(inner))
    return found


def main() -> int:
    query = sys.stdin.read()
    variables: dict[str, Any] = {}
    for name, kind in DECLARED.findall(query):
        raw = os.environ[name]
        variables[name] = int(raw) if kind.rstrip("!") == "Int" else raw
    request = urllib.request.Request(
        os.environ["BASE"] + "/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={
            "Authorization": f"Bearer {os.environ['TOKEN']}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    problems = answer.get("errors") or _user_errors(answer.get("data"))
    print(json.dumps(answer)[:2000])
    if problems:
        print(f"GraphQL block failed: {json.dumps(problems)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
