"""Shared fixtures for the llm-worker tests; makes `support` importable."""

import sys
from pathlib import Path

import pytest

_TESTS_DIR = str(Path(__file__).resolve().parent)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)


@pytest.fixture
def openai_standin():
    """A running OpenAI-compatible stand-in server, stopped after the test."""
    from support.openai_standin import start_standin

    with start_standin() as server:
        yield server
