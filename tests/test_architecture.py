"""The package's shape: no import cycles between its parts, SQL only in the store."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rightsrecord"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The project modules a file imports, at module level or inside functions."""
    mod = _module(path)
    package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("rightsrecord"):
                out.add(target)
                out.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("rightsrecord"))
    return out


def _part(module: str) -> str:
    """The part a module belongs to: a sub-package, or a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _graph() -> dict[str, set[str]]:
    files = [p for p in SRC.rglob("*.py")]
    known = {_module(p) for p in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        src = _part(_module(path))
        for target in _imports(path):
            if target in known and _part(target) != src:
                graph.setdefault(src, set()).add(_part(target))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_parts_of_the_package_import_each_other_without_a_cycle():
    graph = _graph()
    assert "store" in graph and "ingest" in graph  # the graph was really built
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_ingest_knows_nothing_of_extraction_or_the_store():
    graph = _graph()
    assert not graph.get("ingest", set()) & {"extract", "store", "process", "web"}
    assert not graph.get("store", set()) & {"extract", "ingest", "places", "web"}


_SQL = re.compile(r"\b(SELECT\s+\S+.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                  r"CREATE\s+(TABLE|INDEX))\b", re.IGNORECASE)


def test_sql_lives_only_in_the_store():
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if "store" not in p.relative_to(SRC).parts and _SQL.search(p.read_text("utf-8"))]
    assert offenders == []


def test_the_cli_reads_through_the_read_layer_not_the_pages():
    imports = _imports(SRC / "cli.py")
    assert "rightsrecord.read.services" in imports  # the graph sees the read layer
    assert not {m for m in imports if m.startswith("rightsrecord.web")} - {
        "rightsrecord.web.server", "rightsrecord.web.server.serve"}


def test_the_read_layer_knows_nothing_of_its_renderers():
    graph = _graph()
    assert "store" in graph.get("read", set())
    assert not graph.get("read", set()) & {"web", "cli"}
    assert not graph.get("store", set()) & {"read"}


_STORE_CALL = re.compile(r"\bstore\.(?!base\b)\w+\(")


def test_pages_api_feeds_and_exports_read_only_through_the_services():
    """A web room hands the store to the read services and never calls it itself."""
    rooms = [p for p in (SRC / "web").rglob("*.py") if p.name not in ("deps.py",)]
    offenders = [str(p.relative_to(SRC)) for p in rooms
                 if _STORE_CALL.search(p.read_text("utf-8"))]
    assert offenders == []
