#!/usr/bin/env bash
# The whole test suite: lint, strict types of the core, every test on SQLite, then the database tests again on PostgreSQL.
#   DATABASE_URL for the PostgreSQL pass: RUNGS_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres)
#   RUNGS_TEST_WORKERS: pytest-xdist processes per pass (default 2, the machine's cores; 1 runs in one process)
# The PostgreSQL pass is skipped, with the reason printed, only when no server answers there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
py=.venv/bin/python
unset DATABASE_URL
# Each pass runs in parallel worker processes (pytest-xdist). --dist loadfile keeps a module's tests in one
# worker, in their order, so the shared demo department (tests/web/conftest.py) is still built about once
# per module; each worker has its own test database (SQLite in memory; PostgreSQL test_<name>_gw<N>).
workers=${RUNGS_TEST_WORKERS:-2}
parallel=()
if [ "$workers" -gt 1 ]; then
  parallel=(-n "$workers" --dist loadfile)
fi

echo "==> lint (ruff)"
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench

echo "==> types of the core (mypy --strict, configured in pyproject.toml)"
.venv/bin/mypy

echo "==> tests on SQLite"
# Exit status 5 ("no tests collected") is a failure like any other.
$py -m pytest "${parallel[@]}" "$@"

pg=${RUNGS_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
if $py - "$pg" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"SKIPPED PostgreSQL tests: no server at {sys.argv[1]} ({exc})")
    sys.exit(1)
PY
then
  # Only the tests that touch the database (marked `database` by tests/web/conftest.py): the engine,
  # the subprocess tests (their own SQLite files) and the other pure tests would run the same again.
  echo "==> database tests on PostgreSQL ($pg)"
  DATABASE_URL=$pg $py -m pytest tests/web -m database "${parallel[@]}" "$@"
fi
echo "==> all tests passed"
