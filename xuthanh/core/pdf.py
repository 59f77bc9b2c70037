"""PDF documents in Vietnamese (fpdf2, pure Python): a blank A4 page with the system's Unicode serif font
(`PDF_FONT`, Debian's DejaVu Serif by default) registered as the family "doc" in regular, bold and italic. Used by
the plan's consolidated report and the training certificates; None where no such font is installed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings


def font_path() -> Path | None:
    """The Unicode serif font (PDF_FONT), if installed."""
    path = Path(settings.PDF_FONT)
    return path if path.is_file() else None


def new_pdf(orientation: str = "portrait") -> Any | None:
    """An fpdf2 document on A4 with the font family "doc", or None when no Unicode font is installed."""
    from fpdf import FPDF

    regular = font_path()
    if regular is None:
        return None
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.add_font("doc", "", str(regular))
    for style, suffix in (("B", "-Bold"), ("I", "-Italic")):
        variant = regular.with_name(regular.stem + suffix + regular.suffix)
        pdf.add_font("doc", style, str(variant if variant.is_file() else regular))
    return pdf
