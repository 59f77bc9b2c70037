"""A training certificate as a PDF (A4 landscape, in Vietnamese, the source language of the province's
documents): the organising unit and the national motto, "GIẤY CHỨNG NHẬN", the person, the course and its dates,
the number and check code, and a QR code of the public verification page, which says whether it is valid or
revoked. None where no Unicode font is installed (core.pdf)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from xuthanh.core.pdf import new_pdf
from xuthanh.training.models import Certificate

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def verify_url(certificate: Certificate) -> str:
    """The public page that checks it (in Vietnamese; the page offers the other languages)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("training:verify")
    return (settings.SITE_URL.rstrip("/") + path + "?"
            + urlencode({"number": certificate.number, "code": certificate.check_code}))


def pdf_bytes(certificate: Certificate) -> bytes | None:
    pdf = new_pdf("landscape")
    if pdf is None:
        return None
    unit = certificate.registration.course_class.organiser
    # the superior body above the issuing one (Decree 30/2020): the province's, for its department and centre
    issuer = ("UBND TỈNH THANH HÓA\n" if unit.province_wide else "") + unit.name.upper()
    issued = timezone.localtime(certificate.issued_at)
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(150, 30, 30)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    half = pdf.epw / 2
    y = pdf.get_y()
    pdf.set_font("doc", "B", 11)
    pdf.multi_cell(half - 10, 6, issuer, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + half, y)
    pdf.multi_cell(half, 6, MOTTO[0] + "\n" + MOTTO[1], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font("doc", "B", 30)
    pdf.set_text_color(150, 30, 30)
    pdf.cell(0, 14, "GIẤY CHỨNG NHẬN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(6)
    pdf.set_font("doc", "", 15)
    pdf.cell(0, 9, "Chứng nhận Ông/Bà", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("doc", "B", 22)
    pdf.cell(0, 12, certificate.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("doc", "", 15)
    pdf.cell(0, 9, "đã hoàn thành lớp bồi dưỡng", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("doc", "B", 16)
    pdf.multi_cell(0, 9, f"“{certificate.course_title}”", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("doc", "", 13)
    pdf.cell(0, 8, f"Thời gian: {certificate.held}", align="C", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.h - 62
    qr = io.BytesIO()
    url = verify_url(certificate)
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.l_margin + 4, y=bottom, w=36, h=36)
    pdf.set_xy(pdf.l_margin + 44, bottom + 4)
    pdf.set_font("doc", "", 10)
    pdf.multi_cell(110, 5.5, f"Số: {certificate.number}\nMã kiểm tra: {certificate.check_code}\n"
                   "Quét mã QR hoặc mở trang sau để kiểm tra giấy chứng nhận:\n" + url.split("?")[0],
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + half, bottom - 6)
    pdf.set_font("doc", "I", 12)
    pdf.cell(half, 7, f"Thanh Hóa, ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}", align="C",
             new_x="LEFT", new_y="NEXT")
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font("doc", "B", 12)
    pdf.cell(half, 7, "THỦ TRƯỞNG ĐƠN VỊ", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font("doc", "I", 10)
    pdf.cell(half, 6, "(Ký, ghi rõ họ tên, đóng dấu)", align="C")
    pdf.set_title(f"Giấy chứng nhận {certificate.number}")
    return bytes(pdf.output())
