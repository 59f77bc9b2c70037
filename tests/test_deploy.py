"""The deployment files of deploy/ are valid for the tools that read them: systemd's own checker on the units
(with this checkout standing in for /srv/xuthanh/app) and, where nginx is installed, `nginx -t` on the proxy."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def test_the_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is missing (package systemd)")
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("no .venv with gunicorn here: the units' commands must exist to be verified")
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text(encoding="utf-8").replace("/srv/xuthanh/app", str(ROOT)), encoding="utf-8")
        units.append(str(copy))
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True, check=False)
    problems = [line for line in result.stderr.splitlines() if any(Path(u).name in line for u in units)]
    assert result.returncode == 0 and not problems, result.stderr


def test_the_environment_example_names_only_known_settings():
    names = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "xuthanh.env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    settings_text = (ROOT / "xuthanh" / "settings.py").read_text(encoding="utf-8")
    unknown = sorted(name for name in names if f'"{name}"' not in settings_text)
    assert not unknown, f"not read by xuthanh/settings.py: {unknown}"


def test_the_proxy_configuration_is_valid_for_nginx(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    openssl = shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is missing (packages nginx-core, openssl)")
    site = (DEPLOY / "nginx" / "xuthanh.conf").read_text(encoding="utf-8")
    certificate = tmp_path / "cert.pem"
    key = tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )
    site = site.replace("/etc/letsencrypt/live/dulich.thanhhoa.gov.vn/fullchain.pem", str(certificate))
    site = site.replace("/etc/letsencrypt/live/dulich.thanhhoa.gov.vn/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr;\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n",
        encoding="utf-8",
    )
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
