PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate seed worker beat bench bench-load bench-explain clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(STAMP)
	$(VENV)/bin/celery -A coe worker --loglevel=info

beat: $(STAMP)
	$(VENV)/bin/celery -A coe beat --loglevel=info

bench: $(STAMP)
	$(PY) bench/scale.py --departments 2000
	$(PY) bench/scale.py --departments 20000 --database-url $${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/roundtable_bench}

# The main pages under load (gunicorn, production settings); see bench/load.py.
BENCH_LOAD_DEPARTMENTS ?= 2000
bench-load: $(STAMP)
	$(PY) bench/load.py --departments $(BENCH_LOAD_DEPARTMENTS) --database-url $${BENCH_LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/roundtable_perf_$(BENCH_LOAD_DEPARTMENTS)} $(BENCH_LOAD_ARGS)

# EXPLAIN ANALYZE of every query of the main pages and lists on a generated company
# (bench/load.py --departments 20000 makes one); fails on a sequential scan over people,
# accounts or attendance. See bench/explain.py.
BENCH_EXPLAIN_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/roundtable_perf_20000
bench-explain: $(STAMP)
	$(PY) bench/explain.py --database-url $(BENCH_EXPLAIN_DATABASE_URL) $(BENCH_EXPLAIN_ARGS)

clean:
	rm -rf $(VENV) staticfiles
