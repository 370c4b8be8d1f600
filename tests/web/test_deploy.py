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
    # Production is a server database; only the embedded SQLite default keeps a key of its own.
    r = manage("check", DEBUG="0", SECRET_KEY="", DATABASE_URL="postgres://rungs@127.0.0.1:5432/rungs")
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
    # (context, text, translation); a text with a context (pgettext) is looked up in it
    entries = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.*)"$', po, flags=re.M)
    assert len(entries) > 50
    assert [k for _c, k, v in entries if not v] == []
    with open(folder / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    assert [k for c, k, v in entries if (mo.pgettext(c, k) if c else mo.gettext(k)) != v] == []


ENQUEUE = (
    "import datetime as dt; from rungs.policies.models import Policy; "
    "from rungs.policies.services import evaluation_run_enqueue as q; "
    "q(policy=Policy.objects.get(), as_of=dt.date(2026, 12, 1), actor=None)"
)


def test_every_readme_command_works_on_the_embedded_default_without_configuration(tmp_path):
    """After `make run` nothing is configured: no SECRET_KEY, no DEBUG, no DATABASE_URL. The embedded
    default keeps its own key in var/, so the management commands the README shows run as written
    (before, they stopped with ImproperlyConfigured)."""
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in ENV.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    env |= {"RUNGS_VAR": str(tmp_path / "var"), "DJANGO_SUPERUSER_PASSWORD": "a-long-Passw0rd!"}

    def rungs(*args):
        return subprocess.run(
            [sys.executable, "-m", "rungs.cli", *args], capture_output=True, text=True, env=env, timeout=120
        )

    # notice-workflow: a policy in force once stored (star-titles' versions wait for the general manager)
    policy = str(root / "examples" / "policies" / "notice-workflow.yaml")
    for args in (
        ("manage", "migrate", "--verbosity", "0"),
        ("manage", "createsuperuser", "--noinput", "--username", "boss", "--email", "b@example.com"),
        ("manage", "add_policy", policy),
        ("import", str(root / "examples" / "data" / "notice-workflow")),
        ("manage", "run_evaluation", "--as-of", "2026-12-01", "--scheme", "notice-workflow"),
        ("manage", "create_api_token", "boss", "--name", "sync"),
        ("manage", "shell", "-c", ENQUEUE),
        ("worker", "--max-tasks", "1", "--interval", "0.1", "--no-startup-delay", "--no-reload"),
    ):
        r = rungs(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert "ImproperlyConfigured" not in r.stderr
    runs = rungs(
        "manage",
        "shell",
        "-c",
        "from rungs.policies.models import EvaluationRun as R; print(R.objects.count())",
    )
    assert runs.stdout.split()[-1] == "2"  # one from the command line, one queued and run by the worker
    key = (tmp_path / "var" / "secret_key").read_text()
    assert len(key) >= 50 and (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    assert rungs("manage", "add_policy", policy).returncode != 0  # the same version twice is refused


def test_rungs_demo_on_a_busy_port_says_so_and_stops(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run(
            [sys.executable, "-m", "rungs.cli", "demo", "--port", str(port)],
            capture_output=True,
            text=True,
            env={**ENV, "RUNGS_VAR": str(tmp_path)},
            timeout=60,
        )
    assert r.returncode == 1
    assert f"端口 {port} 已被占用" in r.stderr and "已启动" not in r.stdout


def test_load_demo_force_replaces_the_demo_on_a_database_that_has_it(tmp_path):
    """The demo found its stored policy by the file's name (demo_policy), not its scheme, so loading it
    a second time stopped with "version already exists"."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DEBUG": "1"}
    assert manage("migrate", "--verbosity", "0", **env).returncode == 0
    first = manage("load_demo", "--employees", "24", **env)
    assert first.returncode == 0, first.stderr
    again = manage("load_demo", "--employees", "24", "--force", **env)
    assert again.returncode == 0, again.stderr
    assert "loaded 24 employees" in again.stdout
