"""`rungs manage check_policies`: every stored version or the files named, errors Chinese first, a non-zero
exit status on any error (issue 9)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rungs.policies.models import Policy

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
TYPO = "majr_incident"


def broken(tmp_path) -> Path:
    """An example with one event type misspelt: the loader names the line and suggests the right word."""
    text = (EXAMPLES / "dual-track-logistics.yaml").read_text(encoding="utf-8")
    assert "event: major_incident" in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace("event: major_incident", f"event: {TYPO}", 1), encoding="utf-8")
    return path


def test_files_are_checked_and_an_error_gives_a_non_zero_exit_status(tmp_path):
    good = EXAMPLES / "dual-track-logistics.yaml"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="rungs.settings", RUNGS_INSECURE_DEV_KEY="1", DEBUG="1")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"  # never read for files, but configured

    def run(*files):
        return subprocess.run(
            [sys.executable, "-m", "rungs.cli", "manage", "check_policies", *map(str, files)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    ok = run(good)
    assert ok.returncode == 0, ok.stderr
    assert "✓" in ok.stdout and "dual-track-logistics" in ok.stdout and "全部 1 个策略有效" in ok.stdout
    bad = run(good, broken(tmp_path))
    assert bad.returncode == 1
    line = next(x for x in bad.stdout.splitlines() if TYPO in x).strip()
    # file:line:column, then the place and the message in Chinese first, English after.
    assert line.startswith(f"{tmp_path / 'broken.yaml'}:")
    assert line.index("行") < line.index("列") < line.index("line ")
    assert '是否应为 "major_incident"' in line
    assert "1 个策略有错误（共检查 2 个）" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.django_db
def test_every_stored_version_is_checked(demo, tmp_path, capsys):
    call_command("check_policies")
    out = capsys.readouterr().out
    stored = Policy.objects.get()
    assert f"✓ {stored.scheme} {stored.version}" in out and "全部 1 个策略有效" in out
    # A stored text that a stricter release refuses (here: broken by hand in the database).
    Policy.objects.filter(pk=stored.pk).update(text=stored.text.replace("version:", "versoin:", 1))
    with pytest.raises(CommandError, match="1 个策略有错误"):
        call_command("check_policies")
    out = capsys.readouterr().out
    assert f"✗ {stored.scheme} {stored.version}" in out and "versoin" in out
