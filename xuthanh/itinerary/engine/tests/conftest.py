"""Shared fixture for the engine tests: the benchmark files, skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SOLOMON = Path(__file__).resolve().parents[4].parent / "shared" / "bench" / "toptw" / "solomon"


@pytest.fixture
def solomon_dir() -> Path:
    if not SOLOMON.is_dir():
        pytest.skip("shared Solomon benchmark files not present")
    return SOLOMON
