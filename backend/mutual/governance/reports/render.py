"""A report's downloads: the PDF (reportlab; the snapshot's hash on every page, the snapshot JSON
attached inside) and the CSV files, one per section, in a zip."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from mutual.governance.reports.snapshot import JSON_NAME, cell, tables

PAGE = landscape(A4)
_STYLES = getSampleStyleSheet()
_CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=7, leading=8.5)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName="Helvetica-Bold")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def pdf(snapshot: Mapping[str, Any], content: bytes, sha256: str) -> bytes:
    """The report as a PDF, its canonical JSON attached as report.json."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=16 * mm,
        title=str(snapshot.get("title", "Report")),
        author="Mutual",
        subject=f"sha256 {sha256}",
    )

    def footer(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(12 * mm, 8 * mm, f"sha256 {sha256}")
        canvas.drawRightString(PAGE[0] - 12 * mm, 8 * mm, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    partnership = snapshot.get("partnership") or {}
    generated_by = snapshot.get("generatedBy") or {}
    parties = "; ".join(
        f"{p.get('label')}: {p.get('organization')}" for p in snapshot.get("parties") or []
    )
    facts = [
        ("Partnership", str(partnership.get("name", ""))),
        ("Sides", parties),
        ("As of", str(snapshot.get("asOf", ""))),
        (
            "Generated",
            f"{snapshot.get('generatedAt', '')} by {generated_by.get('name', '')} "
            f"({generated_by.get('side', '')})",
        ),
        ("Report id", str(snapshot.get("reportId", ""))),
        ("Snapshot sha256", sha256),
        ("Audit chain head", cell(snapshot.get("auditHead")) or "(no shared event yet)"),
    ]
    story: list[Any] = [
        _p(str(snapshot.get("title", "Report")), _STYLES["Title"]),
        LongTable(
            [[_p(k, _HEAD), _p(v, _CELL)] for k, v in facts],
            colWidths=[40 * mm, PAGE[0] - 64 * mm],
        ),
        Spacer(1, 4 * mm),
        _p(
            "The snapshot this report prints is attached to this PDF as report.json; its sha256 "
            "is printed on every page. Check a copy with verifyReport or `mutual verify-report`.",
            _CELL,
        ),
    ]
    width = PAGE[0] - 24 * mm
    for table in tables(snapshot):
        story.append(Spacer(1, 6 * mm))
        story.append(_p(table.title, _STYLES["Heading2"]))
        for note in table.notes:
            story.append(_p(note, _CELL))
        if not table.rows:
            story.append(_p("Nothing to report.", _CELL))
            continue
        # The first column names the row (a KPI, a risk): it gets more room.
        weights = [2.5] + [1.0] * (max(len(table.columns), 1) - 1)
        widths = [width * w / sum(weights) for w in weights]
        data = [[_p(c, _HEAD) for c in table.columns]]
        data += [[_p(v, _CELL) for v in row] for row in table.rows]
        grid = LongTable(data, colWidths=widths, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.add_attachment(JSON_NAME, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attached_json(data: bytes) -> bytes | None:
    """The report.json attached to a PDF, or None (not a PDF, or nothing attached)."""
    try:
        found = PdfReader(io.BytesIO(data)).attachments.get(JSON_NAME)
    except Exception:
        return None
    return found[0] if found else None


def csv_zip(snapshot: Mapping[str, Any], sha256: str) -> bytes:
    """One CSV per section (a header row, then a row per record) and a README naming the hash."""
    generated = str(snapshot.get("generatedAt", "1980-01-01T00:00:00"))
    stamp = tuple(
        int(x)
        for x in (
            generated[:4],
            generated[5:7],
            generated[8:10],
            generated[11:13],
            generated[14:16],
            generated[17:19],
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)

        add(
            "README.txt",
            f"{snapshot.get('title', '')}\nAs of {snapshot.get('asOf', '')}\n"
            f"Snapshot sha256 {sha256}\nOne CSV file per section of the report.\n",
        )
        for index, table in enumerate(tables(snapshot), start=1):
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(table.columns)
            writer.writerows(table.rows)
            add(f"{index:02d}-{table.key or 'section'}.csv", out.getvalue())
    return buffer.getvalue()
