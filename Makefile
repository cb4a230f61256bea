# Two commands on a fresh machine: `make run` and `make test`. Both create .venv when it is missing
# and (re)install the project when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint check bench clean

# uv (a well-kept installer) installs the packages pip would, from PyPI, in parallel: 19 s from nothing, pip 37 s.
# uv reads no pip.conf, so where it cannot be installed or cannot reach PyPI (a council's own package mirror), pip does.
$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	{ $(BIN)/python -m pip install --quiet --disable-pip-version-check uv && \
	  $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'; } || \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/streamlit run serve.py --server.address=127.0.0.1 --server.port=8501 \
		--server.headless=true --browser.gatherUsageStats=false

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# The tests need a PostgreSQL server, Chromium and the Welsh dictionary (aspell-cy); the project's own scripts install and start them.
# They run on every core and one worker more (pytest-xdist), a test file at a time, the browser tests in two units
# (tests/conftest.py). Python keeps its compiled modules (__pycache__/, ignored by git) even where the environment says
# not to: each worker and each app process the tests start would otherwise compile the project and the tests again.
test: lint
	$(BIN)/proofing rules check
	bash tools/chromium.sh
	bash tools/libreoffice.sh
	bash tools/axe.sh
	bash tools/aspell.sh
	bash tools/nginx.sh
	export "$$(bash tools/postgres.sh)" && env -u PYTHONDONTWRITEBYTECODE \
		$(BIN)/pytest -n $$(( $$(nproc) + 1 )) --dist loadfile

bench: $(INSTALLED)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
