"""`rungs evaluate` as a process, the way a user runs it: the output is whole when the process ends at once
after writing it, and a reader that stops early (`| head`) ends the run quietly, without a traceback."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from rungs.core.evaluate_cli import main as evaluate_main
from rungs.core.interchange.writer import write_dataset
from rungs.core.synth import generate

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "examples/policies/dual-track-logistics.yaml"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("department")
    write_dataset(generate(3000, as_of=AS_OF, months=14), folder)
    return folder


def _command(data: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "rungs.cli", "evaluate", "--policy", str(POLICY), "--data", str(data),
            "--as-of", AS_OF.isoformat(), *extra]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_output_of_the_process_is_the_whole_output(data, tmp_path, fmt, capsysbinary):
    assert (
        evaluate_main(
            ["--policy", str(POLICY), "--data", str(data), "--as-of", "2026-12-01", "--format", fmt]
        )
        == 0
    )
    expected = capsysbinary.readouterr().out
    piped = subprocess.run(_command(data, "--format", fmt), capture_output=True, timeout=120)
    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout == expected
    out = tmp_path / f"results.{fmt}"
    written = subprocess.run(
        _command(data, "--format", fmt, "-o", str(out)), capture_output=True, timeout=120
    )
    assert written.returncode == 0, written.stderr.decode()
    assert out.read_bytes() == expected
    assert len(expected) > 500_000  # large enough that a lost last block would show


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_reader_that_stops_early_ends_the_run_quietly(data, fmt):
    proc = subprocess.Popen(_command(data, "--format", fmt), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # as `head -1` does, then it goes away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert first.startswith(b"employee_id," if fmt == "csv" else b"{")
    assert "Traceback" not in err and "Broken pipe" not in err, err
