"""Importing a data set from the browser: upload → preview (nothing written) → commit (all or nothing).

The files wait in VAR_DIR/uploads/<token>/ between the preview and the commit; the token is remembered
in the uploader's session, so nobody else can commit or see it. The folder is deleted on commit or cancel.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rungs.accounts.authority import abilities, requires
from rungs.core.interchange.errors import DataError
from rungs.datasets.services import import_commit, import_department, import_preview
from rungs.entry.forms import ImportForm, upload_name

SESSION_KEY = "entry_uploads"
DONE_KEY = "entry_last_import"
SHOWN_PROBLEMS = 200
STALE_AFTER = 24 * 3600  # seconds; uploads nobody committed or cancelled are removed after a day
FILE_LABELS = {
    "employees": gettext_lazy("人员"),
    "assignments": gettext_lazy("任职记录"),
    "evaluations": gettext_lazy("考核结果"),
    "metrics": gettext_lazy("KPI 指标"),
    "events": gettext_lazy("事件"),
    "positions": gettext_lazy("编制"),
}


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def _folder(request, token: str) -> Path:
    """The upload folder of this user's session, or 404."""
    if token not in request.session.get(SESSION_KEY, []) or not re.fullmatch(r"[0-9a-f]{32}", token):
        raise Http404
    folder = uploads_dir() / token
    if not folder.is_dir():
        _forget(request, token)
        raise Http404
    return folder


def _forget(request, token: str) -> None:
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    shutil.rmtree(uploads_dir() / token, ignore_errors=True)


def _sweep() -> None:
    """Removes upload folders left behind (a closed tab never commits or cancels)."""
    if not uploads_dir().is_dir():
        return
    cutoff = time.time() - STALE_AFTER
    for folder in uploads_dir().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _source(folder: Path) -> Path:
    """The workbook if one was uploaded, else the folder of CSV files."""
    workbooks = sorted(folder.glob("*.xlsx"))
    return workbooks[0] if workbooks else folder


def _shown_file(file: str, folder: Path) -> str:
    """A problem's file as the user named it: employees.csv, data.xlsx[metrics], not the server's path."""
    prefix = str(folder)
    if file.startswith(prefix):
        file = file[len(prefix) :].lstrip("/\\")
    whole = re.fullmatch(r"\[(\w+)\]", file)
    return f"{whole[1]}.csv" if whole else file


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _rows(plan) -> list[dict]:
    """Each file's counts and, for the changed rows, each field's stored value → the file's value."""
    return [
        {
            "name": name,
            "label": FILE_LABELS.get(name, name),
            "c": change,
            "details": [
                {
                    "key": " / ".join(k for k in row.key if k),
                    "fields": [
                        {"column": f.column, "old": _shown(f.old), "new": _shown(f.new)} for f in row.fields
                    ],
                }
                for row in plan.details.get(name, [])
            ],
        }
        for name, change in plan.changes.items()
    ]


@requires("import.commit")
def upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _sweep()
        token = uuid.uuid4().hex
        folder = uploads_dir() / token
        folder.mkdir(parents=True)
        for f in form.cleaned_data["files"]:
            name = upload_name(f.name)
            target = folder / (name if name.lower().endswith(".xlsx") else name.lower())
            with open(target, "wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), token]
        return redirect("entry:import_preview", token=token)
    return render(
        request, "entry/import_upload.html", {"form": form, "department": import_department(request.user)}
    )


def _preview_context(request, folder: Path, token: str) -> dict:
    ctx: dict = {"token": token, "files": sorted(p.name for p in folder.iterdir())}
    try:
        plan = import_preview(source=_source(folder), actor=request.user)
    except DataError as exc:
        ctx["problems"] = [
            {
                "file": _shown_file(p.file, folder),
                "row": p.row,
                "column": p.column,
                "expected": p.expected,
                "got": p.got,
            }
            for p in exc.problems[:SHOWN_PROBLEMS]
        ]
        ctx["problem_count"] = len(exc.problems)
        return ctx
    ctx["plan"] = plan
    ctx["rows"] = _rows(plan)
    ctx["warnings"] = list(plan.data.warnings)
    return ctx


@requires("import.commit")
def preview(request, token: str):
    folder = _folder(request, token)
    return render(request, "entry/import_preview.html", _preview_context(request, folder, token))


@require_POST
@requires("import.commit")
def commit(request, token: str):
    if token in request.session.get(SESSION_KEY, []) and not (uploads_dir() / token).is_dir():
        return _already_committing(request)  # claimed by the first click, or imported already
    folder = _folder(request, token)
    # Claim the upload by renaming its folder (atomic): a second click on "commit" while the first is
    # importing finds it gone, waits for that import and is told, instead of importing it again.
    claimed = folder.with_name(f"{token}.committing")
    try:
        folder.rename(claimed)
    except OSError:
        return _already_committing(request)
    try:
        label = ", ".join(sorted(p.name for p in claimed.iterdir()))
        plan = import_commit(source=_source(claimed), actor=request.user, label=label)
    except DataError:
        claimed.rename(folder)
        return render(request, "entry/import_preview.html", _preview_context(request, folder, token))
    except BaseException:
        claimed.rename(folder)
        raise
    shutil.rmtree(claimed, ignore_errors=True)
    _forget(request, token)
    request.session[DONE_KEY] = [
        {
            "label": str(r["label"]),
            "name": r["name"],
            "new": r["c"].new,
            "changed": r["c"].changed,
            "unchanged": r["c"].unchanged,
        }
        for r in _rows(plan)
    ]
    messages.success(request, _("导入完成：所有数据已写入。"))
    return redirect("entry:import_done")


def _already_committing(request):
    """A repeated commit of an upload being imported: waits until no import runs, then says so."""
    from django.db import transaction

    from rungs.records.services import serialise_fact_writes

    with transaction.atomic():
        serialise_fact_writes()
    messages.info(request, _("这批文件已经提交导入，重复的提交已忽略。"))
    return redirect("entry:import_done")


@require_POST
@requires("import.commit")
def cancel(request, token: str):
    _folder(request, token)
    _forget(request, token)
    messages.info(request, _("已取消导入，上传的文件已删除。"))
    return redirect("entry:import")


@requires("import.commit")
def done(request):
    from rungs.entry.views.policies import run_form_for
    from rungs.people import size

    rows = request.session.get(DONE_KEY)
    if rows is None:
        return redirect("entry:import")
    return render(
        request,
        "entry/import_done.html",
        {
            "rows": rows,
            "run_form": run_form_for(request.user),
            "run_now": size.small_enough(),
            "limit": size.RUN_NOW_LIMIT,
            **abilities(request.user),
        },
    )
