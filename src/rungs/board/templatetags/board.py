"""Links of the board that keep the current filters: sorting, paging, exporting (htmx swaps the table)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

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
