"""Production settings: `check --deploy` passes with DEBUG off and a real key; a missing key is refused."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("DJANGO_SETTINGS_MODULE", "RUNGS_INSECURE_DEV_KEY", "SECURE_SSL_REDIRECT")
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "rungs.cli", "manage", *args],
        capture_output=True,
        text=True,
        env={**ENV, "DJANGO_SETTINGS_MODULE": "rungs.settings", **env},
        timeout=120,
    )


def test_check_deploy_passes_in_production_settings():
    r = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7!" + "k" * 60 + "Qz#9Lm$2",
        ALLOWED_HOSTS="rungs.example.com",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_production_without_secret_key_refuses_to_start():
    r = manage("check", DEBUG="0", SECRET_KEY="")
    assert r.returncode != 0
    assert "SECRET_KEY must be set" in r.stderr


def test_every_model_change_has_its_migration():
    r = manage("makemigrations", "--check", "--dry-run", DEBUG="1")
    assert r.returncode == 0, r.stdout + r.stderr


def test_rungs_import_runs_without_production_settings_and_exits_2_on_bad_data(tmp_path):
    # As after `make run`: no SECRET_KEY, DEBUG off; an import signs nothing, so it needs no key.
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in ENV.items() if k not in ("SECRET_KEY", "DEBUG")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "rungs.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    assert manage("migrate", "--verbosity", "0", DEBUG="1", DATABASE_URL=env["DATABASE_URL"]).returncode == 0

    def rungs(*args):
        return subprocess.run(
            [sys.executable, "-m", "rungs.cli", *args], capture_output=True, text=True, env=env, timeout=120
        )

    good = rungs("import", str(root / "examples" / "data" / "star-titles"), "--dry-run")
    assert good.returncode == 0, good.stderr
    assert "dry run" in good.stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "employees.csv").write_text("employee_id,name,hire_date\nE1,张三,昨天\n", encoding="utf-8")
    r = rungs("import", str(bad), "--dry-run")
    assert r.returncode == 2
    assert "employees.csv" in r.stderr and "hire_date" in r.stderr and "Traceback" not in r.stderr


def test_rungs_help_lists_the_entry_points():
    r = subprocess.run(
        [sys.executable, "-m", "rungs.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0
    for command in ("demo", "serve", "worker", "evaluate", "manage"):
        assert command in r.stdout


@pytest.mark.parametrize("lang", ["en"])
def test_translations_are_complete_and_compiled(lang):
    """Every string of the interface has an English translation, and the compiled .mo has them all."""
    import gettext
    import re
    from pathlib import Path

    import rungs

    folder = Path(rungs.__file__).parent / "locale" / lang / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po, flags=re.M)
    assert len(entries) > 50
    assert [k for k, v in entries if not v] == []
    with open(folder / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    assert [k for k, v in entries if mo.gettext(k) != v] == []
