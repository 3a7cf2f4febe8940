"""The `Store` protocol declares everything its callers use, and both stores keep to it.

mypy checks the two assignments below (`make lint`): a store that lacks a member of `Store`,
or has it with another signature, is not a `type[Store]`. The tests check the same at run
time, and that the callers typed against `Store` call nothing it leaves out.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rightsrecord.store.base import Store
from rightsrecord.store.postgres import PostgresStore
from rightsrecord.store.sqlite import SQLiteStore

SQLITE: type[Store] = SQLiteStore
POSTGRES: type[Store] = PostgresStore

SRC = Path(__file__).resolve().parents[2] / "src" / "rightsrecord"
# The modules that reach the store through `Store`; `store` (or `db`) names a store there.
CALLERS = sorted([*SRC.glob("link/*.py"), *SRC.glob("evaluation/*.py"), *SRC.rglob("web/*.py"),
                  *SRC.glob("read/*.py"), *SRC.glob("record/*.py"), *SRC.glob("cli_*.py"),
                  SRC / "annotate.py", SRC / "process.py",
                  SRC / "cli.py", SRC / "demo.py"])


def members() -> list[str]:
    names = {n for n in vars(Store) if not n.startswith("_") or n in ("__enter__", "__exit__")}
    return sorted(names | set(Store.__annotations__))


def test_protocol_declares_the_three_groups() -> None:
    names = members()
    for name in ("add_many", "replace_facts", "linking", "add_report", "attach_actor",
                 "country", "cluster", "identity", "url"):
        assert name in names


def test_callers_use_only_what_the_protocol_declares() -> None:
    declared = set(members())
    used: dict[str, str] = {}
    for path in CALLERS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in ("store", "db")):
                used.setdefault(node.attr, f"{path.relative_to(SRC)}:{node.lineno}")
    assert len(used) > 40  # the scan sees the callers
    missing = {name: where for name, where in used.items() if name not in declared}
    assert not missing, f"called on a store but not declared in Store: {missing}"


def _shape(func: Callable[..., Any]) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(func).parameters.values()]


@pytest.mark.parametrize("impl", [SQLITE, POSTGRES], ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", [n for n in members() if n != "url"])
def test_both_stores_have_every_member_with_its_parameters(impl: type[Store], name: str
                                                          ) -> None:
    assert callable(getattr(impl, name, None)), f"{impl.__name__} lacks {name}"
    assert _shape(getattr(impl, name)) == _shape(getattr(Store, name))


def test_both_stores_name_their_address(store: Store) -> None:
    assert isinstance(store.url, str) and store.url
