"""Links of the board that keep the current filters: sorting, paging, exporting (htmx swaps the table)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def query(f, **override) -> str:
    params = f.query(**override)
    return "?" + urlencode(params) if params else ""


def _link(f, text, **override):
    url = reverse("board:index") + query(f, **override)
    return format_html(
        '<a href="{}" hx-get="{}" hx-target="#board-table" hx-push-url="true">{}</a>', url, url, text
    )


@register.simple_tag
def sort_link(f, key: str, text: str):
    """A column header: sorts ascending, or descending when already sorted ascending by it."""
    current = f.sort
    new = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
    return _link(f, f"{text}{arrow}", sort=new)


@register.simple_tag
def page_link(f, number: int, text: str):
    return _link(f, text, page=str(number))


@register.simple_tag
def team_options(teams, selected: str):
    """The <option>s of the team filter, built in one pass: a company has thousands of teams, and a
    template loop (or format_html per option) over them costs more than the rest of the page."""
    codes = teams.values_list("code", flat=True) if hasattr(teams, "values_list") else (t.code for t in teams)
    parts = []
    for code in codes:
        c = escape(code)
        parts.append(f'<option value="{c}"{" selected" if code == selected else ""}>{c}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every code is escaped above
