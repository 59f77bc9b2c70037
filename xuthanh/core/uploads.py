"""Documents people upload (a class's materials, a task's evidence, a study tour's report): the kind by the name's
extension and by the first bytes of the content, and the size. Pictures for the catalogue and contests have
their own, deeper check (core/images.py)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZIP = (b"PK\x03\x04",)  # Office Open XML and OpenDocument files are ZIP archives
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",), "docx": ZIP, "pptx": ZIP, "xlsx": ZIP, "odt": ZIP, "odp": ZIP, "ods": ZIP,
    "png": (b"\x89PNG",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "mp4": (b"ftyp",),  # at offset 4
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3"),
}


def check_document(upload: Any, *, kinds: tuple[str, ...], max_mb: int, refused: str) -> None:
    """ValidationError unless `upload` is one of `kinds` (extensions of SIGNATURES) inside as by its name, and
    at most `max_mb` MB; `refused` names the kinds accepted, with %(name)s for the file's name."""
    if getattr(upload, "_committed", False):  # a file stored before: checked when it came (never read again)
        return
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in kinds or extension not in SIGNATURES:
        raise ValidationError(refused % {"name": name})
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(_("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": max_mb})
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if not any(head[4:8] == sig if sig == b"ftyp" else head.startswith(sig) for sig in SIGNATURES[extension]):
        raise ValidationError(_("“%(name)s” is not a %(kind)s file inside.") % {"name": name,
                                                                               "kind": extension.upper()})


def in_random_folder(prefix: str, filename: str) -> str:
    """`prefix/<random>/<name>`: a stored document whose address nobody can guess (the models' upload_to)."""
    return f"{prefix}/{secrets.token_urlsafe(12)}/{filename.rsplit('/', 1)[-1][-100:]}"
