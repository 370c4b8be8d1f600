"""Printed documents: the appointment notice (任命通知) as PDF with the Chinese font embedded and .docx to
edit, and the honor certificate (荣誉证书) as PDF.

One text, two renderings: `appointment_lines` is what the notice says, and both writers lay those lines out,
so the PDF and the .docx cannot drift apart. The font is a subset of Noto Sans CJK SC shipped with Rungs
(fonts/LICENSE.txt): a PDF must show Chinese on a machine without Chinese fonts, so the font goes into the
file, subset to the characters used."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from importlib.resources import files

FONT = files("rungs.core") / "fonts" / "NotoSansSC-Rungs.otf"


@dataclass(frozen=True)
class AppointmentNotice:
    number: str  # 〔2026〕001号
    company: str  # who issues it (the department or the company's name)
    name: str
    employee_id: str
    department: str
    from_post: str
    to_post: str
    effective: dt.date
    round: str
    issued_on: dt.date
    onboarding: str = ""  # the 考察期 sentence, when the policy has one
    pay: str = ""  # the pay effect of the promotion rule (基本工资 +10%，6000.00 → 6600.00，2027-01 起)


def appointment_lines(n: AppointmentNotice) -> tuple[str, list[str], str]:
    """The title, the body paragraphs and the signature block of the notice."""
    body = [
        f"{n.name}（工号 {n.employee_id}，{n.department}）：",
        f"根据{n.round}的结果，决定任命你为{n.to_post}（原任{n.from_post}），"
        f"自 {n.effective:%Y年%m月%d日} 起生效。",
    ]
    if n.pay:
        body.append(f"薪资调整：{n.pay}。")
    if n.onboarding:
        body.append(n.onboarding)
    body.append("特此通知。")
    sign = f"{n.company}\n{n.issued_on:%Y年%m月%d日}"
    return f"任命通知\n{n.number}", body, sign


def appointment_pdf(n: AppointmentNotice) -> bytes:
    from fpdf import FPDF  # imported here: only the document views need it

    title, body, sign = appointment_lines(n)
    pdf = FPDF(format="A4")
    pdf.set_title(title.replace("\n", " "))
    pdf.set_creator("Rungs")
    pdf.add_font("cjk", "", str(FONT))
    pdf.add_page()
    pdf.set_margins(25, 30, 25)
    pdf.set_y(35)
    pdf.set_font("cjk", size=20)
    head, number = title.split("\n")
    pdf.cell(0, 12, head, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 8, number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("cjk", size=13)
    for para in body:
        pdf.multi_cell(0, 9, para, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(16)
    pdf.multi_cell(0, 9, sign, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def appointment_docx(n: AppointmentNotice) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    title, body, sign = appointment_lines(n)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Sans CJK SC"
    normal.font.size = Pt(13)
    # Word takes East Asian text's font from w:eastAsia, not from the font name above
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    head, number = title.split("\n")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(head)
    run.bold, run.font.size = True, Pt(20)
    p = doc.add_paragraph(number)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for para in body:
        doc.add_paragraph(para)
    for line in sign.split("\n"):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class HonorCertificate:
    number: str  # 〔2026〕荣字001号
    company: str  # who awards it
    recipient: str  # a person's name, or a team's
    honor: str  # 服务明星
    cycle: str  # 2026年11月, 2026年第四季度 …
    issued_on: dt.date
    team: bool = False  # a team's honor: no 同志


def cycle_words(label: str) -> str:
    """2026-11 → 2026年11月, 2026-Q4 → 2026年第四季度, 2026-H2 → 2026年下半年, 2026 → 2026年度."""
    year, _, rest = label.partition("-")
    if not rest:
        return f"{year}年度"
    if rest.startswith("Q"):
        return f"{year}年第{'一二三四'[int(rest[1]) - 1]}季度"
    if rest.startswith("H"):
        return f"{year}年{'上下'[int(rest[1]) - 1]}半年"
    return f"{year}年{int(rest)}月"


def certificate_lines(c: HonorCertificate) -> tuple[str, list[str], str]:
    """The title, the body paragraphs and the signature block of the certificate."""
    who = c.recipient if c.team else f"{c.recipient} 同志"
    body = [
        f"{who}：",
        f"在{c.cycle}的工作中表现突出，被评为“{c.honor}”。",
        "特发此证，以资鼓励。",
    ]
    return "荣誉证书", body, f"{c.company}\n{c.issued_on:%Y年%m月%d日}\n{c.number}"


def certificate_pdf(c: HonorCertificate) -> bytes:
    """The printable certificate: A4 landscape, a double border, the font embedded (subset)."""
    from fpdf import FPDF  # imported here: only the document views need it

    title, body, sign = certificate_lines(c)
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(f"{title} {c.number}")
    pdf.set_creator("Rungs")
    pdf.add_font("cjk", "", str(FONT))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(176, 141, 87)
    pdf.set_line_width(1.6)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, 269, 182)
    pdf.set_margins(40, 30, 40)
    pdf.set_y(36)
    pdf.set_text_color(160, 30, 30)
    pdf.set_font("cjk", size=40)
    pdf.cell(0, 20, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_text_color(20, 20, 20)
    pdf.set_font("cjk", size=20)
    pdf.multi_cell(0, 12, body[0], align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for para in body[1:]:
        pdf.set_x(pdf.l_margin + 14)
        pdf.multi_cell(0, 12, para, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(150)
    pdf.set_font("cjk", size=15)
    pdf.multi_cell(0, 9, sign, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
