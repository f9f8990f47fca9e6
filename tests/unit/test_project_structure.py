"""What keeps the code easy to follow: no import cycles, and citations a newcomer can open."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PACKAGES = ("chalicelib", "devtools", "infra", "bench")


def _modules() -> dict[str, Path]:
    found = {"app": PROJECT / "app.py"}
    for package in PACKAGES:
        for path in (PROJECT / package).rglob("*.py"):
            parts = path.relative_to(PROJECT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, known: set[str]) -> Iterator[str]:
    """Every project module ``path`` imports, at module level or inside a function."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        yield from (name for name in names if name in known)


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    frontier = [start]
    while frontier:
        for target in graph[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others."""
    reach = {node: _reachable(graph, node) for node in graph}
    groups = {
        frozenset({node} | {other for other in reach[node] if node in reach[other]})
        for node in graph
        if node in reach[node]
    }
    return sorted(sorted(group) for group in groups)


def test_no_module_takes_part_in_an_import_cycle() -> None:
    modules = _modules()
    known = set(modules)
    graph = {
        name: {target for target in _imports(path, known) if target != name}
        for name, path in modules.items()
    }
    assert _cycles(graph) == []


def test_every_rule_citation_names_a_section_of_docs_domain_md() -> None:
    text = (PROJECT / "docs" / "domain.md").read_text("utf-8")
    sections = set(re.findall(r"^## (§\d+) ", text, flags=re.MULTILINE))
    cited = {
        (str(path.relative_to(PROJECT)), section)
        for folder in (*PACKAGES, "tests")
        for path in (PROJECT / folder).rglob("*.py")
        for section in re.findall(r"docs/domain\.md (§\d+)", path.read_text("utf-8"))
    }
    assert cited, "the code cites the rules it applies"
    assert {(path, s) for path, s in cited if s not in sections} == set()
    assert "DOMAIN.md" not in "".join(
        p.read_text("utf-8") for f in PACKAGES for p in (PROJECT / f).rglob("*.py")
    )
