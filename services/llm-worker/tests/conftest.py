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


@pytest.fixture(scope="session")
def studio_secrets():
    """One webhook secret per report family, as the gateway would hold them."""
    from shared.webhooks import generate_secret

    return {"jobs": generate_secret(), "training": generate_secret(), "inference": generate_secret()}


@pytest.fixture
def studio_receiver(studio_secrets):
    """A stand-in for the gateway's studio webhooks, verifying each family with its own secret."""
    from support.studio_receiver import start_studio_receiver

    with start_studio_receiver(studio_secrets["training"], studio_secrets["inference"]) as server:
        yield server


@pytest.fixture
def images_standin():
    """A running OpenAI-compatible images stand-in, stopped after the test."""
    from support.images_standin import start_images_standin

    with start_images_standin() as server:
        yield server
