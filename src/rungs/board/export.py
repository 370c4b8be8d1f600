"""The board's filtered rows as an Excel workbook (xlsxwriter), one row per person and promotion step."""

from __future__ import annotations

import io
from itertools import batched

import xlsxwriter
from django.utils.translation import gettext as _

from rungs.board.rows import board_rows
from rungs.core.interchange.spreadsheet import WORKBOOK_OPTIONS
from rungs.core.policy import model as m
from rungs.policies.policy_view import PolicyView

CHUNK = 2000


def board_xlsx(qs, pv: PolicyView, step: m.Rule | None, lang: str) -> bytes:
    buf = io.BytesIO()
    # Names and grades are text even when they begin with "=" (no live formulas, no links): WORKBOOK_OPTIONS.
    book = xlsxwriter.Workbook(buf, {"in_memory": True, **WORKBOOK_OPTIONS})
    sheet = book.add_worksheet(_("资格看板"))
    bold = book.add_format({"bold": True})
    head = [
        _("工号"),
        _("姓名"),
        _("部门"),
        _("班组"),
        _("通道"),
        _("当前职级"),
        _("目标职级"),
        _("状态"),
        _("提示"),
        _("已满足条件数"),
        _("条件总数"),
    ]
    head += [c.label.get(lang) for c in step.criteria] if step else [_("未满足的条件")]
    sheet.write_row(0, 0, head, bold)
    line = 1
    # One pass over the query in batches (OFFSET pages would make the database skip ever more rows).
    for batch in batched(qs.iterator(chunk_size=CHUNK), CHUNK):
        for r in board_rows(batch, pv, step, lang):
            e = r.employee
            values = [
                e.employee_id,
                e.name,
                str(e.department or ""),
                str(e.team or ""),
                r.track_label,
                r.level_label,
                r.to_label,
                r.status_label,
                "、".join(label for _badge, label in r.flags),
                r.passed,
                r.total,
            ]
            if step:
                values += [
                    "" if c is None else f"{'✓' if c.passed else '✗'} {c.actual} / {c.required}"
                    for c in r.cells
                ]
            else:
                values.append("；".join(r.missing))
            sheet.write_row(line, 0, values)
            line += 1
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(line - 1, 1), len(head) - 1)
    book.close()
    return buf.getvalue()
