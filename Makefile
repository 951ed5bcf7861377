# Two commands: `make run` (set up everything, start LEH on embedded defaults) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

# Debian packages: the engines LEH runs (OCR, fonts for rendering, media) and what the tests drive.
APT_RUN := tesseract-ocr tesseract-ocr-kor fonts-nanum fonts-noto-cjk ffmpeg
APT_TEST := $(APT_RUN) espeak-ng sox libsox-fmt-base libopencore-amrnb0 chromium postgresql libreoffice-writer-nogui

.PHONY: run test bench setup setup-test apt-run apt-test lint clean

run: setup
	$(VENV)/bin/leh run

test: setup-test
	$(VENV)/bin/ruff check leh tests bench
	$(VENV)/bin/mypy leh
	$(VENV)/bin/lint-imports
	OMP_THREAD_LIMIT=1 $(VENV)/bin/pytest -n 2 -m unit
	# The rest two at a time too, a whole test file per worker (a module's shared server stays in one process; each
	# worker has its own ports, temp dirs, PostgreSQL cluster, moto_server and Chromium), files in folder order.
	OMP_THREAD_LIMIT=1 $(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not unit"

bench: setup-test
	OMP_THREAD_LIMIT=1 $(PY) bench/run_all.py

setup: apt-run $(VENV)/.installed-run
setup-test: apt-test $(VENV)/.installed-test

apt-run:
	@dpkg -s $(APT_RUN) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_RUN); }

apt-test:
	@dpkg -s $(APT_TEST) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_TEST); }

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .hypothesis
