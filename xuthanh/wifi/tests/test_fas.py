"""The openNDS hand-off alone (wifi.fas, no Django): parameters encrypted as the gateway does (by PHP's own
openssl_encrypt when php is installed, the function openNDS's level 2 and 3 call) are read back; a wrong key,
an altered string, another gateway's name, a public gateway address, a level-0 token or a level mismatch
are refused; rhid, the auth list and authmon's acknowledgements follow openNDS's documented formats."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from xuthanh.wifi import fas

KEY = hashlib.sha256(b"a shared secret").hexdigest()  # openNDS makes its faskey so: 64 hex characters
IV = "0123456789abcdef"
HID = hashlib.sha256(b"client token").hexdigest()
PARAMS = {"clientip": "192.168.8.23", "clientmac": "04:15:52:6a:e4:ad", "client_type": "cpd_can",
          "gatewayname": "xt-lamkinh-7f3a9c", "gatewayurl": quote("http://192.168.8.1:2050", safe=""),
          "version": "10.3.0", "hid": HID, "gatewayaddress": "192.168.8.1:2050",
          "gatewaymac": "0a:1b:2c:3d:4e:5f", "originurl": quote("http://example.org/news?a=1", safe=""),
          "clientif": "br-lan", "authdir": "opennds_auth"}


def check(query: dict[str, str], **overrides: object) -> fas.Handoff:
    options = {"level": 2, "faskey": KEY, "gatewayname": "xt-lamkinh-7f3a9c", **overrides}
    return fas.verify(query, **options)  # type: ignore[arg-type]


def test_encrypted_parameters_are_read_back() -> None:
    handoff = check({"fas": fas.encrypt(PARAMS, KEY, IV), "iv": IV})
    assert handoff.hid == HID and handoff.clientmac == "04:15:52:6a:e4:ad" and handoff.clientip == "192.168.8.23"
    assert handoff.gatewayaddress == "192.168.8.1:2050" and handoff.authdir == "opennds_auth"
    assert handoff.originurl == "http://example.org/news?a=1"  # URL-decoded, as the PHP FAS does


@pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed (.ci/run installs it)")
def test_what_phps_openssl_encrypt_makes_is_read_as_openNDS_sends_it() -> None:
    # openNDS's levels 2 and 3 encrypt with php-cli: openssl_encrypt(data, "AES-256-CBC", faskey, 0, iv),
    # base64 again for the query; the FAS decrypts with openssl_decrypt(base64_decode(fas), …, 0, iv).
    php = shutil.which("php") or "php"
    text = "".join(f"{k}={v}, " for k, v in PARAMS.items())  # each followed by ", ", as openNDS writes it
    script = ('echo base64_encode(openssl_encrypt($argv[1], "AES-256-CBC", $argv[2], 0, $argv[3]));')
    made = subprocess.run([php, "-r", script, text, KEY, IV], capture_output=True, text=True, check=True).stdout
    assert made == fas.encrypt(PARAMS, KEY, IV)  # byte for byte the same as ours
    assert check({"fas": made, "iv": IV}).hid == HID
    # and what we make, PHP reads (the FAS example's own decryption)
    back = ('echo openssl_decrypt(base64_decode($argv[1]), "AES-256-CBC", $argv[2], 0, $argv[3]);')
    read = subprocess.run([php, "-r", back, fas.encrypt(PARAMS, KEY, IV), KEY, IV], capture_output=True,
                          text=True, check=True).stdout
    assert read == text
    # a short faskey (older openNDS: up to 16 characters) is NUL-padded by PHP, and by us
    short = subprocess.run([php, "-r", script, text, "1234567890", IV], capture_output=True, text=True,
                           check=True).stdout
    assert check({"fas": short, "iv": IV}, faskey="1234567890").hid == HID


@pytest.mark.parametrize(("query", "code"), [
    ({"fas": fas.encrypt(PARAMS, "another key", IV), "iv": IV}, "undecryptable"),
    ({"fas": "not base64 !!", "iv": IV}, "garbled"),
    ({"fas": base64.b64encode(b"short").decode(), "iv": IV}, "garbled"),
    ({"fas": fas.encrypt(PARAMS, KEY, IV), "iv": "short"}, "bad_iv"),
    ({"fas": fas.encrypt({**PARAMS, "gatewayname": "someone-else-01"}, KEY, IV), "iv": IV}, "other_gateway"),
    ({"fas": fas.encrypt({**PARAMS, "gatewayaddress": "8.8.8.8:80"}, KEY, IV), "iv": IV}, "bad_gateway"),
    ({"fas": fas.encrypt({**PARAMS, "gatewayaddress": "127.0.0.1:80"}, KEY, IV), "iv": IV}, "bad_gateway"),
    ({"fas": fas.encrypt({**PARAMS, "gatewayaddress": "evil.example:80"}, KEY, IV), "iv": IV}, "bad_gateway"),
    ({"fas": fas.encrypt({**PARAMS, "hid": "abc"}, KEY, IV), "iv": IV}, "incomplete"),
    ({"fas": fas.encrypt({**PARAMS, "clientmac": "nope"}, KEY, IV), "iv": IV}, "incomplete"),
    ({"fas": fas.encrypt({**PARAMS, "authdir": "../x"}, KEY, IV), "iv": IV}, "bad_gateway"),
    ({"fas": fas.encrypt({**PARAMS, "gatewayaddress": "[fe80::1%@evil.example?]:80"}, KEY, IV), "iv": IV},
     "bad_gateway"),  # an IPv6 zone id would carry anything into the redirect
    ({"fas": fas.encrypt({"note": "x"}, KEY, IV), "iv": IV}, "undecryptable"),  # nothing of a hand-off
    ({"tok": "770bfe05", "clientip": "192.168.8.23"}, "level0"),
    ({"hid": HID, "gatewayname": "xt-lamkinh-7f3a9c"}, "wrong_level"),
    ({"fas": "x" * 5000, "iv": IV}, "too_long"),
])
def test_forged_altered_or_foreign_handoffs_are_refused(query: dict[str, str], code: str) -> None:
    with pytest.raises(fas.FasError) as refused:
        check(query)
    assert refused.value.code == code


def test_an_altered_ciphertext_is_refused_or_unreadable() -> None:
    raw = bytearray(base64.b64decode(base64.b64decode(fas.encrypt(PARAMS, KEY, IV))))
    raw[-1] ^= 0x55  # the last block's padding breaks
    forged = base64.b64encode(base64.b64encode(bytes(raw))).decode()
    with pytest.raises(fas.FasError):
        check({"fas": forged, "iv": IV})


def test_the_configured_gateway_address_must_match() -> None:
    query = {"fas": fas.encrypt(PARAMS, KEY, IV), "iv": IV}
    assert check(query, gatewayaddress="192.168.8.1:2050").gatewayaddress == "192.168.8.1:2050"
    with pytest.raises(fas.FasError) as refused:
        check(query, gatewayaddress="10.0.0.1:2050")
    assert refused.value.code == "other_gateway"


def test_openNDS_10s_string_with_its_trailing_separator_and_custom_parameters_is_read() -> None:
    text = ("hid=" + HID + ", clientip=192.168.8.23, clientmac=04:15:52:6a:e4:ad, client_type=cpd_can, cpi_query=, "
            "gatewayname=xt-lamkinh-7f3a9c, gatewayurl=http%3A%2F%2F192.168.8.1, version=10.3.0, "
            "gatewayaddress=192.168.8.1:2050, gatewaymac=0a1b2c3d4e5f, authdir=opennds_auth, "
            "originurl=http%3A%2F%2Fexample.org%2F, clientif=br-lan, themespec=/usr/lib/opennds/theme.sh, "
            "admin_email=noc%40example.org, Location2=Lam%20Kinh, ")
    params = fas.parse(text)
    assert params["hid"] == HID and params["admin_email"] == "noc@example.org" and params["Location2"] == "Lam Kinh"
    assert "" not in params and fas.parse("junk, , =x, a=1") == {"a": "1"}


def test_level_1_of_openNDS_9_and_later_is_the_parameters_in_base64() -> None:
    text = "".join(f"{k}={v}, " for k, v in PARAMS.items() if k != "authdir")
    query = {"fas": base64.b64encode(text.encode()).decode(), "redir": "http://example.org/"}
    handoff = check(query, level=1)
    assert handoff.hid == HID and handoff.authdir == "opennds_auth" and handoff.clientmac == "04:15:52:6a:e4:ad"
    spaced = {**query, "fas": query["fas"].replace("+", " ")}  # a "+" decoded as a space on the way
    assert check(spaced, level=1).hid == HID
    with pytest.raises(fas.FasError) as refused:
        check({"fas": "!!!", "redir": "x"}, level=1)
    assert refused.value.code == "garbled"


def test_level_1_reads_the_hashed_id_in_clear_and_sends_the_browser_back_to_the_gateway() -> None:
    query = {"hid": HID, "gatewayname": "xt-lamkinh-7f3a9c", "gatewayaddress": "192.168.8.1:2050",
             "clientip": "192.168.8.23", "redir": "http://example.org/"}
    handoff = check(query, level=1)
    assert handoff.clientmac == "" and handoff.originurl == "http://example.org/"
    url = fas.auth_url(handoff, KEY, "https://xuthanh.example/wifi/lam-kinh/welcome/?lang=en")
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "192.168.8.1:2050" and parts.path == "/opennds_auth/"
    answer = parse_qs(parts.query)
    assert answer["tok"] == [hashlib.sha256((HID + KEY).encode()).hexdigest()]  # sha256(hid + faskey)
    assert answer["redir"] == ["https://xuthanh.example/wifi/lam-kinh/welcome/?lang=en"]
    with pytest.raises(fas.FasError) as refused:
        check({"fas": "x", "iv": IV}, level=1)
    assert refused.value.code == "wrong_level"


def test_the_auth_list_and_acknowledgements_follow_authmon() -> None:
    entry = fas.auth_entry("ab" * 32, session_minutes=240, custom="hotspot=lam-kinh")
    assert entry.split(" ")[:6] == ["ab" * 32, "240", "0", "0", "0", "0"]
    listed = fas.auth_list([entry, entry])
    assert listed.startswith("* ") and unquote(listed.split(" ")[1]) == entry  # rawurlencoded entries
    assert fas.auth_list([]) == "*"
    acks = base64.b64encode(("* " + "ab" * 32 + " " + "cd" * 32).encode()).decode()
    assert fas.acknowledged(acks) == ["ab" * 32, "cd" * 32]
    assert fas.acknowledged("* " + "ab" * 32) == ["ab" * 32]  # plain, as older authmon sent it
    assert fas.acknowledged(base64.b64encode(b"none").decode()) == [] and fas.acknowledged("none") == []
    assert fas.acknowledged("* ; rm -rf / " + "zz" * 32) == []  # only well-formed hashes
    notice = base64.b64encode(b"method=timeout_deauth, clientmac=04:15:52:6a:e4:ad").decode()
    assert fas.deauthed(notice)["clientmac"] == "04:15:52:6a:e4:ad"
    assert fas.deauthed(base64.b64encode(notice.encode()).decode())["method"] == "timeout_deauth"
    assert fas.deauthed("garbage") == {}
    assert fas.gateway_hash("xt-lamkinh-7f3a9c") == hashlib.sha256(b"xt-lamkinh-7f3a9c").hexdigest()
