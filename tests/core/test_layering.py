"""The core is framework-free: nothing under rungs.core imports Django (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "rungs" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_it_finds_the_core_modules():
    assert len(list(CORE.rglob("*.py"))) >= 10


def test_it_keeps_django_out_of_the_core():
    offenders = {
        str(p.relative_to(CORE)): sorted(n for n in imported_modules(p) if n.split(".")[0] == "django")
        for p in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_it_keeps_the_core_free_of_the_django_apps():
    shell = (
        "rungs.accounts",
        "rungs.api",
        "rungs.board",
        "rungs.entry",
        "rungs.people",
        "rungs.policies",
        "rungs.records",
        "rungs.settings",
        "rungs.web",
    )
    offenders = {
        str(p.relative_to(CORE)): sorted(n for n in imported_modules(p) if n.startswith(shell))
        for p in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
