"""Fixtures of the guide's tests: the shipped tours loaded (without audio), and a skip when the audio tools are
missing."""

from __future__ import annotations

import shutil

import pytest

from xuthanh.guide import services

AUDIO_TOOLS = bool(shutil.which("espeak-ng") and shutil.which("ffmpeg"))
needs_audio = pytest.mark.skipif(
    not AUDIO_TOOLS, reason="espeak-ng and ffmpeg are not installed (apt-get install espeak-ng ffmpeg; .ci/run does)"
)


@pytest.fixture
def tours(db: object) -> int:
    return services.tours_load()
