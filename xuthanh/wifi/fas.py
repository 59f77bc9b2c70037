"""The hand-off between an openNDS gateway and this platform acting as its Forward Authentication Service
(FAS), with no Django: what arrives in the visitor's browser from the gateway, checked; and what goes back.

openNDS (docs/source/fas.rst) redirects a visitor who joins the hotspot to the FAS with its parameters, at
one of its secure levels (level 0, the client token in clear, is refused: anyone could skip the splash):

- level 1: `?fas=…&redir=…`, the parameters below base64 but not encrypted (openNDS ≥ 9; earlier versions
  sent `?hid=…&gatewayname=…&gatewayaddress=…&clientip=…&redir=…`), where `hid` is the sha256 of the
  client's token; nothing is secret, so only the hotspot's name and the shape of the values are checked;
- levels 2 and 3: `?fas=…&iv=…`, the parameters ("hid=…, clientip=…, clientmac=…, gatewayname=…, …, ",
  comma-space separated and ended, values URL-encoded, the operator's custom parameters appended)
  encrypted with AES-256-CBC under the pre-shared `faskey`, as PHP's
  `openssl_encrypt(data, "AES-256-CBC", faskey, 0, iv)` does (the key is the faskey's first 32 bytes,
  NUL-padded; `iv` is 16 characters used as they are; the result is base64, and base64 again in the query).
  A wrong key or an altered string fails to decrypt or to parse, and is refused. CBC carries no
  integrity check of its own, so the platform also requires the hotspot's own gateway name, a well-formed
  hid used once only (a replay is refused by the caller, who remembers hids) and a gateway address on a
  private network (the browser is sent there: never to an arbitrary host).

Access is then granted by the gateway when it receives `rhid = sha256(hid + faskey)`: at levels 1 and 2 the
browser is sent to `http://<gatewayaddress>/<authdir>/?tok=<rhid>&redir=…`; at level 3 the gateway's authmon
daemon polls the FAS (`POST auth_get=view|list|clear|deauthed`, `gatewayhash=sha256(gatewayname)`,
`payload`) and receives the waiting clients as `* <entry> <entry>`, each entry the URL-encoded
"rhid sessionlength uploadrate downloadrate uploadquota downloadquota custom", and acknowledges the ones it
authenticated in its next `view` (payload: base64 of "* rhid rhid …")."""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

LEVELS = (1, 2, 3)
MAX_QUERY = 4096  # an encrypted parameter string is a few hundred bytes
HID = re.compile(r"^[0-9a-f]{64}$")
MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
AUTHDIR = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
DEFAULT_AUTHDIR = "opennds_auth"


class FasError(ValueError):
    """A hand-off refused: `code` for the logs and tests, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Handoff:
    """A checked hand-off: who the gateway says the visitor is and where to send them back."""

    level: int
    hid: str
    gatewayname: str
    gatewayaddress: str  # host:port on the hotspot's network
    authdir: str
    clientip: str
    clientmac: str  # "" at level 1 (not sent)
    originurl: str  # where the visitor was going ("" when unknown)
    client_type: str = ""


def php_key(faskey: str) -> bytes:
    """The AES-256 key PHP's openssl functions make of a passphrase: its first 32 bytes, NUL-padded."""
    raw = faskey.strip().encode()
    return raw[:32].ljust(32, b"\0")


def _iv(iv: str) -> bytes:
    raw = iv.encode()
    if len(raw) != 16:
        raise FasError("bad_iv", "The gateway's initialisation vector is not 16 characters.")
    return raw


def encrypt(params: Mapping[str, str], faskey: str, iv: str) -> str:
    """What an openNDS gateway puts in `fas=` at levels 2–3: its parameters (values URL-encoded, each
    followed by ", " as openNDS writes them), encrypted as PHP's openssl_encrypt does, base64 twice. The
    platform never sends this; the tests' gateway does."""
    text = "".join(f"{name}={value}, " for name, value in params.items()).encode()
    padder = padding.PKCS7(128).padder()
    data = padder.update(text) + padder.finalize()
    encryptor = Cipher(algorithms.AES(php_key(faskey)), modes.CBC(_iv(iv))).encryptor()
    once = base64.b64encode(encryptor.update(data) + encryptor.finalize())
    return base64.b64encode(once).decode()


def decrypt(fas: str, iv: str, faskey: str) -> dict[str, str]:
    """The gateway's parameters from `fas=` and `iv=` (values URL-decoded), or FasError."""
    if len(fas) > MAX_QUERY:
        raise FasError("too_long", "The gateway's parameters are too long.")
    try:  # a "+" of base64 may arrive as a space where a query string was not encoded
        once = base64.b64decode(fas.replace(" ", "+").encode(), validate=True)
        cipher_text = base64.b64decode(once, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FasError("garbled", "The gateway's parameters are not readable (not base64).") from exc
    if not cipher_text or len(cipher_text) % 16:
        raise FasError("garbled", "The gateway's parameters are not readable (cut short).")
    decryptor = Cipher(algorithms.AES(php_key(faskey)), modes.CBC(_iv(iv))).decryptor()
    padded = decryptor.update(cipher_text) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        text = (unpadder.update(padded) + unpadder.finalize()).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise FasError("undecryptable", "These parameters were not encrypted with this hotspot's key.") from exc
    params = parse(text)
    if "hid" not in params and "clientip" not in params:
        raise FasError("undecryptable", "These parameters were not encrypted with this hotspot's key.")
    return params


def parse(text: str) -> dict[str, str]:
    """"name=value, name=value, " → {name: value}, values URL-decoded. openNDS ends the string with the
    separator and appends the operator's own parameters (`fas_custom_parameters_list`, any names): empty
    parts and parts that are not name=value are skipped; the first of a repeated name counts. What a
    hand-off must hold is checked by `verify`."""
    params: dict[str, str] = {}
    for part in text.split(", "):
        name, sep, value = part.strip().partition("=")
        if sep and re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", name):
            params.setdefault(name, unquote(value.strip()))
    return params


def _level1(fas_value: str) -> dict[str, str]:
    """openNDS ≥ 9 at level 1: `fas` is the same parameter string as levels 2–3, base64 but not encrypted."""
    if len(fas_value) > MAX_QUERY:
        raise FasError("too_long", "The gateway's parameters are too long.")
    try:
        text = base64.b64decode(fas_value.replace(" ", "+").encode(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise FasError("garbled", "The gateway's parameters are not readable (not base64).") from exc
    return parse(text)


def gateway_address(address: str) -> str:
    """host:port on a private or link-local network (where the gateway is), else FasError."""
    host, sep, port = address.rpartition(":")
    host = host.strip("[]")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError as exc:
        raise FasError("bad_gateway", "The gateway's address is not an IP address and port.") from exc
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise FasError("bad_gateway", "The gateway's address has no valid port.")
    if getattr(ip, "scope_id", None):
        raise FasError("bad_gateway", "The gateway's address has a zone id: give it without.")
    if not (ip.is_private or ip.is_link_local) or ip.is_loopback or ip.is_unspecified:
        raise FasError("bad_gateway", "The gateway's address is not on a local network.")
    return f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"


def _client_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError as exc:
        raise FasError("incomplete", "The gateway did not say which device is joining.") from exc


def verify(query: Mapping[str, str], *, level: int, faskey: str, gatewayname: str,
           gatewayaddress: str = "") -> Handoff:
    """Check a hand-off as the hotspot is configured (its level, key, gateway name and, when known, the
    gateway's address); returns what it says, or FasError. A hand-off of another level is refused."""
    if level not in LEVELS:
        raise FasError("bad_level", "This hotspot's security level is not one the platform accepts (1, 2 or 3).")
    if "tok" in query and "hid" not in query and "fas" not in query:
        raise FasError("level0", "The gateway sent the client token in clear (level 0): set fas_secure_enabled.")
    if level == 1:
        if "iv" in query:
            raise FasError("wrong_level", "The gateway sent encrypted parameters, but this hotspot is set to level 1.")
        if "fas" in query:  # openNDS ≥ 9
            params = _level1(str(query["fas"]))
            params.pop("authdir", None)  # level 1 has the default authentication path
        else:  # earlier versions: the parameters in clear
            params = {name: str(query.get(name, "")) for name in ("hid", "gatewayname", "gatewayaddress",
                                                                   "clientip")}
        params.setdefault("originurl", str(query.get("redir", "")))
    else:
        if "fas" not in query or "iv" not in query:
            raise FasError("wrong_level", f"The gateway sent no encrypted parameters (fas, iv), but this "
                                          f"hotspot is set to level {level}.")
        params = decrypt(str(query["fas"]), str(query["iv"]), faskey)
    hid = params.get("hid", "").strip().lower()
    if not HID.match(hid):
        raise FasError("incomplete", "The gateway's parameters lack the visitor's hash id (hid).")
    if params.get("gatewayname", "").strip() != gatewayname.strip():
        raise FasError("other_gateway", "These parameters come from another gateway than this hotspot's.")
    address = gateway_address(params.get("gatewayaddress", "").strip())
    if gatewayaddress and address != gateway_address(gatewayaddress):
        raise FasError("other_gateway", "These parameters name another gateway address than this hotspot's.")
    authdir = params.get("authdir", "").strip() or DEFAULT_AUTHDIR
    if not AUTHDIR.match(authdir):
        raise FasError("bad_gateway", "The gateway's authentication path is not valid.")
    mac = params.get("clientmac", "").strip().lower()
    if level > 1 and not MAC.match(mac):
        raise FasError("incomplete", "The gateway did not say which device is joining.")
    origin = params.get("originurl", "").strip()
    if not re.match(r"^https?://", origin) or len(origin) > 2000:
        origin = ""
    return Handoff(level=level, hid=hid, gatewayname=params["gatewayname"].strip(), gatewayaddress=address,
                   authdir=authdir, clientip=_client_ip(params.get("clientip", "").strip()), clientmac=mac,
                   originurl=origin, client_type=params.get("client_type", "")[:40])


def rhid(hid: str, faskey: str) -> str:
    """What the gateway accepts as proof that the FAS let this client through."""
    return hashlib.sha256((hid.strip() + faskey.strip()).encode()).hexdigest()


def gateway_hash(gatewayname: str) -> str:
    """How authmon names its gateway to the FAS."""
    return hashlib.sha256(gatewayname.strip().encode()).hexdigest()


def auth_url(handoff: Handoff, faskey: str, redir: str) -> str:
    """Levels 1 and 2: where the visitor's browser goes to be let through by the gateway."""
    return (f"http://{handoff.gatewayaddress}/{handoff.authdir}/?tok={rhid(handoff.hid, faskey)}"
            f"&redir={quote(redir, safe='')}")


def auth_entry(rhid_value: str, *, session_minutes: int, custom: str = "") -> str:
    """Level 3: one client on the auth list (no rate or quota limits: 0 means none)."""
    custom_b64 = base64.b64encode(custom.encode()).decode() if custom else ""
    return " ".join(str(part) for part in (rhid_value, session_minutes, 0, 0, 0, 0, custom_b64)).strip()


def auth_list(entries: Iterable[str]) -> str:
    """The answer to authmon's `view`/`list`: "*" then each entry URL-encoded; "*" alone when none wait."""
    return " ".join(["*", *(quote(entry, safe="") for entry in entries)])


def payload_text(payload: str) -> str:
    """authmon's payload as text: base64 as openNDS sends it, or plain as older versions did."""
    value = payload.strip()
    if value in ("", "none") or value.startswith("*"):
        return value
    try:
        return base64.b64decode(value.encode(), validate=True).decode("utf-8").strip()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return value


def acknowledged(payload: str) -> list[str]:
    """The rhids authmon says it authenticated ("* rhid rhid …", by space or line), well-formed only."""
    text = payload_text(payload)
    if text in ("", "none"):
        return []
    return [token for token in re.split(r"\s+", text.replace("*", " ")) if HID.match(token)][:200]


def deauthed(payload: str) -> dict[str, str]:
    """A deauthentication notice ("method=…, clientmac=…, …", base64 once or twice) as a dict; {} when
    unreadable."""
    text = payload_text(payload)
    if not re.match(r"^[a-z_]{1,30}=", text):  # base64 twice, as some openNDS versions send it
        text = payload_text(text)
    try:
        return parse(text)
    except FasError:
        return {}
