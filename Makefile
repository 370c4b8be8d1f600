# The two commands of the README. Both create .venv (Python >= 3.12) and install the lock on first use.
.PHONY: run test

PORT ?= 8000

run:  ## migrate the embedded SQLite database, load demo data, serve on http://127.0.0.1:$(PORT)/ with a worker
	bash scripts/bootstrap.sh
	.venv/bin/rungs demo --port $(PORT)

test:  ## lint + strict types of the core + every test on SQLite, the database tests again on PostgreSQL
	bash scripts/test.sh
