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
    shell = (*(f"rungs.{app}" for app in LAYERS), "rungs.settings", "rungs.urls", "rungs.cli")
    offenders = {
        str(p.relative_to(CORE)): sorted(n for n in imported_modules(p) if n.startswith(shell))
        for p in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# The Django apps in layers, lowest first: an app imports only from its own layer or below (the core is
# below them all). Top-level modules (rungs.cli, rungs.urls, rungs.settings, rungs.wsgi) may import any.
LAYERS = (
    "audit",
    "people",
    "accounts",
    "notify",
    "records",
    "datasets",
    "policies",
    "board",
    "promotions",
    "cases",
    "honors",
    "talent",
    "effect",
    "rewards",
    "voice",
    "entry",
    "api",
    "web",
    "demo",
)
APPS = CORE.parent


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "rungs" and parts[1] in LAYERS else None


def test_every_app_is_in_a_layer():
    apps = {p.parent.name for p in APPS.glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_dependencies_point_down():
    upward = []
    for app in LAYERS:
        for path in (APPS / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for name in imported_modules(path):
                target = _app_of(name)
                if target is not None and LAYERS.index(target) > LAYERS.index(app):
                    upward.append(f"{path.relative_to(APPS)} imports {name}")
    assert upward == []


def test_migrations_import_no_application_code():
    """A migration is frozen history: importing live code (which changes) would change what it does."""
    offenders = [
        f"{path.relative_to(APPS)} imports {name}"
        for path in APPS.glob("*/migrations/*.py")
        for name in imported_modules(path)
        if name.startswith("rungs")
    ]
    assert offenders == []
