"""A hotspot at Lam Kinh and a gateway that behaves as openNDS does towards its FAS (wifi.fas's formats:
the encrypted hand-off, the browser sent to the gateway at levels 1–2, authmon's polls at level 3)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

import pytest

from xuthanh.wifi import fas
from xuthanh.wifi.models import Hotspot


@pytest.fixture(autouse=True)
def english(client: Any) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def hotspot(db: Any) -> Hotspot:
    from xuthanh.catalog.models import Place

    return Hotspot.objects.create(slug="lam-kinh", place=Place.objects.get(slug="lam-kinh"), ssid="LamKinh-Free",
                                  gatewayname="xt-lamkinh-7f3a9c", state=Hotspot.State.ACTIVE, fas_level=3,
                                  operator_name="VNPT Thanh Hóa")


class Gateway:
    """What an openNDS gateway hands a joining device: its own token, hashed (hid), and the parameters."""

    def __init__(self, hotspot: Hotspot, mac: str = "04:15:52:6a:e4:ad", ip: str = "192.168.8.23") -> None:
        self.hotspot, self.mac, self.ip = hotspot, mac, ip
        self.token = secrets.token_hex(4)
        self.hid = hashlib.sha256(self.token.encode()).hexdigest()

    def params(self, *, level: int) -> dict[str, str]:
        """The parameters in the order openNDS 10 writes them (src/http_microhttpd.c), then two custom ones
        (`fas_custom_parameters_list`) with names the platform does not know."""
        params = {"hid": self.hid, "clientip": self.ip, "clientmac": self.mac, "client_type": "cpd_can",
                  "cpi_query": "", "gatewayname": self.hotspot.gatewayname,
                  "gatewayurl": "http%3A%2F%2F192.168.8.1", "version": "10.3.0",
                  "gatewayaddress": "192.168.8.1:2050", "gatewaymac": "0a1b2c3d4e5f", "authdir": "opennds_auth",
                  "originurl": "http%3A%2F%2Fexample.org%2F", "clientif": "br-lan",
                  "themespec": "/usr/lib/opennds/theme_click-to-continue.sh", "admin_email": "noc%40example.org",
                  "Location2": "Lam%20Kinh"}
        if level == 1:
            del params["authdir"]  # not sent at level 1
        return params

    def query(self, *, level: int | None = None, key: str | None = None, legacy: bool = False) -> dict[str, str]:
        """The query string the gateway sends the visitor to the FAS with."""
        level = level or self.hotspot.fas_level
        if level == 1 and legacy:  # openNDS before 9
            return {"hid": self.hid, "gatewayname": self.hotspot.gatewayname, "gatewayaddress": "192.168.8.1:2050",
                    "clientip": self.ip, "redir": "http://example.org/"}
        if level == 1:
            text = "".join(f"{name}={value}, " for name, value in self.params(level=1).items())
            return {"fas": base64.b64encode(text.encode()).decode(), "redir": "http://example.org/"}
        iv = hashlib.sha256(secrets.token_bytes(8)).hexdigest()[:16]  # as openNDS makes it
        return {"fas": fas.encrypt(self.params(level=level), key or self.hotspot.faskey, iv), "iv": iv}

    def accepts(self, rhid: str) -> bool:
        """The gateway's own check: sha256(hid + faskey) is what it expects back."""
        return rhid == hashlib.sha256((self.hid + self.hotspot.faskey).encode()).hexdigest()


@pytest.fixture
def gateway(hotspot: Hotspot) -> Gateway:
    return Gateway(hotspot)
