# The two commands of the README. Both create .venv (Python >= 3.12) and install the lock on first use.
.PHONY: run test

run:  ## migrate the embedded SQLite database, load demo data, serve on http://127.0.0.1:8000/
	bash scripts/bootstrap.sh
	.venv/bin/rungs demo

test:  ## lint + the whole test suite on SQLite and PostgreSQL, browser tests included
	bash scripts/test.sh
