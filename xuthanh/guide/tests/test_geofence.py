"""The geofence runs on the phone (JavaScript, xuthanh/guide/static/guide/geofence.js); its tests are plain
node tests (geofence.test.js), run here so that `make test` and CI run them with the rest."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the set-up's npm needs it too)")
def test_the_geofence_rules_hold_in_node() -> None:
    result = subprocess.run([shutil.which("node"), "--test", str(HERE / "geofence.test.js")],  # noqa: S603
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 10" in result.stdout
