"""The department's consolidated yearly report on the plan, as files: DOCX (python-docx) and PDF (fpdf2) in the
layout of a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I: the issuing body and the
national motto side by side, the number, the place and date, the title, the body, the recipients), and XLSX
tables. It is a state document in Vietnamese, the platform's source language, so its fixed words are Vietnamese.
Its content comes from `selectors.consolidated` (sent reports only) and `targets.compute` (live data)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xuthanh.core.cells import plain
from xuthanh.core.pdf import new_pdf
from xuthanh.plan import selectors, targets
from xuthanh.plan.models import Source

SOURCE_VI = {"provincial": "Ngân sách tỉnh", "district": "Ngân sách huyện", "socialised": "Xã hội hóa, nguồn khác"}
LEVEL_VI = {"low": "thấp", "medium": "trung bình", "high": "cao"}
ISSUER = ("UBND TỈNH THANH HÓA", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _n(value: Decimal | float | int) -> str:
    """Vietnamese notation: 1.234,5 (thousands with dots, decimals with a comma)."""
    text = f"{Decimal(str(value)).normalize():,f}" if value else "0"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def content(found: selectors.Consolidated, number: str, today: dt.date) -> dict[str, Any]:
    """The document's parts, shared by the DOCX and the PDF."""
    plan, year = found.plan, found.year
    measured = targets.summary(targets.compute())
    done, hard, asks = [], [], []
    for row in found.rows:
        task, report = row["task"], row["report"]
        title = task.safe_translation_getter("title", language_code="vi", any_language=True)
        if report is not None:  # what units typed: without the control characters XML cannot hold
            done.append(f"{task.code}. {title} ({report.progress}%): {plain(report.done)}")
            if plain(report.difficulties):
                hard.append(f"{task.code}: {plain(report.difficulties)}")
            if plain(report.proposals):
                asks.append(f"{task.code}: {plain(report.proposals)}")
    watched = selectors.watch(plan, today)  # what the units recorded on their tasks, as it stands today
    hard += [f"{m.task.code}: mốc “{plain(m.title)}” hạn {m.due:%d/%m/%Y} chưa hoàn thành"
             + (f" ({plain(m.note)})" if plain(m.note) else "") + "." for m in watched.late_milestones]
    hard += [f"{r.task.code}: rủi ro “{plain(r.description)}” (khả năng {LEVEL_VI[r.likelihood]}, ảnh hưởng "
             f"{LEVEL_VI[r.impact]})" + (f"; biện pháp: {plain(r.mitigation)}" if plain(r.mitigation) else "")
             + "." for r in watched.open_risks]
    money = [["Nhiệm vụ", "Nguồn", "Kế hoạch (năm)", "Đã bố trí", "Đã chi"]]
    for row in found.rows:
        for source in Source.values:
            if row["planned"][source] or row["allocated"][source] or row["spent"][source]:
                money.append([row["task"].code, SOURCE_VI[source], _n(row["planned"][source]),
                              _n(row["allocated"][source]), _n(row["spent"][source])])
    for source in Source.values:
        money.append(["Cộng", SOURCE_VI[source], _n(found.totals[source]["planned"]),
                      _n(found.totals[source]["allocated"]), _n(found.totals[source]["spent"])])
    with_vi = []
    from django.utils import translation

    with translation.override("vi"):
        for row in measured:
            t = row["target"]
            value = "không có dữ liệu" if t.value is None else f"{_n(round(t.value, 1))}{t.unit}"
            goal = "–" if t.goal is None else f"{_n(round(t.goal, 1))}{t.unit}"
            with_vi.append([str(t.label), value, goal])
    return {
        "number": number.strip() or "…", "place_date": f"Thanh Hóa, ngày {today.day:02d} tháng {today.month:02d} "
                                                     f"năm {today.year}",
        "title": "BÁO CÁO",
        "subtitle": f"Kết quả thực hiện Kế hoạch số {plan.number} ngày {plan.date:%d/%m/%Y} của UBND tỉnh "
                    f"về ứng dụng công nghệ thông tin trong lĩnh vực du lịch, năm {year}",
        "sections": [
            ("I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", done or ["Chưa có đơn vị nào gửi báo cáo."]),
            ("II. KINH PHÍ (triệu đồng)", None),
            ("III. CÁC CHỈ TIÊU (tính từ dữ liệu của hệ thống)", None),
            ("IV. KHÓ KHĂN, VƯỚNG MẮC", hard or ["Không có."]),
            ("V. ĐỀ XUẤT, KIẾN NGHỊ", asks or ["Không có."]),
        ],
        "missing": [f"{t.code} – {t.lead.name if t.lead else t.lead_original}" for t in found.missing],
        "money": money,
        "targets": [["Chỉ tiêu", "Hiện nay", "Mục tiêu 2025"], *with_vi],
        "recipients": ["- Ban Chỉ đạo phát triển du lịch tỉnh (để b/c);", "- Chủ tịch UBND tỉnh (để b/c);",
                       "- Lưu: VT."],
        "signer": "GIÁM ĐỐC",
    }


def docx_bytes(found: selectors.Consolidated, number: str = "", today: dt.date | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    parts = content(found, number, today or timezone.localdate())
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run(ISSUER[0]).font.size = Pt(12)
    run = left.add_paragraph().add_run(ISSUER[1])
    run.bold = True
    left.add_paragraph(f"Số: {parts['number']}/BC-SVHTTDL")
    right.paragraphs[0].add_run(MOTTO[0]).bold = True
    right.add_paragraph().add_run(MOTTO[1]).bold = True
    right.add_paragraph().add_run(parts["place_date"]).italic = True
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(parts["title"]).bold = True
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(parts["subtitle"]).bold = True
    for heading, lines in parts["sections"]:
        doc.add_paragraph().add_run(heading).bold = True
        if heading.startswith("II."):
            _docx_table(doc, parts["money"])
        elif heading.startswith("III."):
            _docx_table(doc, parts["targets"])
        else:
            for line in lines:
                doc.add_paragraph(line)
        if heading.startswith("I.") and parts["missing"]:
            doc.add_paragraph("Các nhiệm vụ chưa có báo cáo: " + "; ".join(parts["missing"]) + ".")
    foot = doc.add_table(rows=1, cols=2)
    receive, sign = foot.rows[0].cells
    receive.paragraphs[0].add_run("Nơi nhận:").bold = True
    for line in parts["recipients"]:
        receive.add_paragraph(line)
    sign.paragraphs[0].add_run(parts["signer"]).bold = True
    sign.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc: Any, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for n, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
            if n == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def pdf_bytes(found: selectors.Consolidated, number: str = "", today: dt.date | None = None) -> bytes | None:
    """The same document as a PDF, or None when no Unicode font is installed (the DOCX still is)."""
    pdf = new_pdf()
    if pdf is None:
        return None
    parts = content(found, number, today or timezone.localdate())
    pdf.set_margins(20, 20, 15)
    pdf.add_page()
    width = pdf.epw / 2

    def pair(left: str, right: str, left_style: str = "", right_style: str = "") -> None:
        y = pdf.get_y()
        pdf.set_font("doc", left_style, 11)
        pdf.multi_cell(width - 5, 6, left, align="C", new_x="LEFT", new_y="NEXT")
        after_left = pdf.get_y()
        pdf.set_xy(pdf.l_margin + width, y)
        pdf.set_font("doc", right_style, 11)
        pdf.multi_cell(width, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(after_left, pdf.get_y()))

    pair(ISSUER[0], MOTTO[0], "", "B")
    pair(ISSUER[1], MOTTO[1], "B", "B")
    pair(f"Số: {parts['number']}/BC-SVHTTDL", parts["place_date"], "", "I")
    pdf.ln(6)
    pdf.set_font("doc", "B", 13)
    pdf.multi_cell(0, 7, parts["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, parts["subtitle"], align="C", new_x="LMARGIN", new_y="NEXT")
    for heading, lines in parts["sections"]:
        pdf.ln(3)
        pdf.set_font("doc", "B", 12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("doc", "", 11)
        if heading.startswith("II."):
            _pdf_table(pdf, parts["money"])
        elif heading.startswith("III."):
            _pdf_table(pdf, parts["targets"])
        else:
            for line in lines:
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        if heading.startswith("I.") and parts["missing"]:
            pdf.multi_cell(0, 6, "Các nhiệm vụ chưa có báo cáo: " + "; ".join(parts["missing"]) + ".",
                           new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pair("Nơi nhận:\n" + "\n".join(parts["recipients"]), parts["signer"], "", "B")
    return bytes(pdf.output())


def _pdf_table(pdf: Any, rows: list[list[str]]) -> None:
    with pdf.table(first_row_as_headings=True, text_align="LEFT") as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(str(value))


def xlsx(found: selectors.Consolidated) -> bytes:
    from xuthanh.core.cells import xlsx_bytes

    parts_money = [["task", "source", "planned (spread over the task's years)", "allocated", "spent", "report"]]
    for row in found.rows:
        for source in Source.values:
            parts_money.append([row["task"].code, source, float(row["planned"][source]),
                                float(row["allocated"][source]), float(row["spent"][source]),
                                "sent" if row["report"] else "–"])
    reports = [["task", "unit", "progress %", "done", "difficulties", "proposals", "spent provincial",
                "spent district", "spent socialised", "sent at (Vietnam time)"]]
    for row in found.rows:
        r = row["report"]
        if r is not None:
            reports.append([row["task"].code, r.unit.name, r.progress, r.done, r.difficulties, r.proposals,
                            float(r.spent_provincial), float(r.spent_district), float(r.spent_socialised),
                            timezone.localtime(r.sent_at).strftime("%d/%m/%Y %H:%M") if r.sent_at else ""])
    measured = [["measure", "now", "2025 target", "unit", "what it counts"]]
    for row in targets.summary(targets.compute()):
        t = row["target"]
        measured.append([t.measure, t.value, t.goal, t.unit, t.detail])
    return xlsx_bytes({"money": parts_money, "reports": reports, "targets": measured})
