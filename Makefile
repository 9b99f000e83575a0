# Everything sets itself up: a fresh machine needs only python3 and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SUM    := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STAMP  := $(VENV)/.installed-$(SUM)
DEMO_STAMP := $(VENV)/.installed-demo-$(SUM)

.PHONY: help test test-slow test-spark test-daft demo bench lint clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(STAMP): pyproject.toml  # everything: tests, benchmarks, HDF5, the demo
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench,hdf5,demo]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP) $(DEMO_STAMP)

$(DEMO_STAMP): pyproject.toml  # only what the demo needs
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[demo]'
	rm -f $(VENV)/.installed-demo-*
	touch $(DEMO_STAMP)

test: $(STAMP)  ## run the whole test suite (with lint, types and layer contracts)
	$(VENV)/bin/ruff check hdmf_arrow tests examples benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy hdmf_arrow
	$(PY) -m pytest -q

test-slow: $(STAMP)  ## the long runs: a crash loop of 120 SIGKILLs (also run by make bench)
	HDMF_ARROW_SLOW=1 $(PY) -m pytest -q -m slow tests

test-spark: $(STAMP)  ## Spark reads a store with no code of ours (installs the spark extra; needs Java 17+)
	$(PY) -m pip install --quiet -e '.[spark]'
	$(PY) -m pytest -q -m spark tests/test_spark.py

test-daft:  ## Daft reads a store with no code of ours (a venv of its own: daft pins pyarrow < 26)
	test -x .venv-daft/bin/python || $(PYTHON) -m venv .venv-daft
	.venv-daft/bin/python -m pip install --quiet --upgrade pip
	.venv-daft/bin/python -m pip install --quiet -e '.[test,daft]'
	.venv-daft/bin/python -m pytest -q tests/test_daft.py

demo: $(DEMO_STAMP)  ## write the seed tables to ./demo.hdmf, reopen, query with polars and DuckDB
	$(PY) examples/demo.py demo.hdmf

bench: $(STAMP)  ## hdmf-arrow vs hdmf 6.2 vs raw pyarrow, HDF5 import/export; writes benchmarks/RESULTS.md
	$(PY) benchmarks/run.py --write benchmarks/RESULTS.md
	$(PY) benchmarks/wide.py --write benchmarks/RESULTS.md
	$(PY) benchmarks/open_costs.py --write benchmarks/RESULTS.md
	$(PY) benchmarks/peers.py --write benchmarks/RESULTS.md  # 100k, 1M rows; 10M: --sizes
	$(PY) benchmarks/layout.py --write benchmarks/RESULTS.md
	$(PY) benchmarks/hdf5.py --write benchmarks/RESULTS.md
	$(PY) benchmarks/hdmf_compat.py --write benchmarks/RESULTS.md
	$(PY) benchmarks/scan_s3.py --profile --write benchmarks/RESULTS.md
	HDMF_ARROW_SLOW=1 $(PY) -m pytest -q -m slow tests

lint: $(STAMP)  ## ruff check and format check
	$(VENV)/bin/ruff check hdmf_arrow tests examples benchmarks
	$(VENV)/bin/ruff format --check hdmf_arrow tests examples benchmarks

clean:  ## remove the virtualenv and build files
	rm -rf $(VENV) .venv-daft build *.egg-info .hypothesis
