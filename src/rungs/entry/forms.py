"""Forms of the entry pages: one per fact, with the validation messages a manager can act on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rungs.audit import clock
from rungs.core.interchange.dataset import FILES

# ------------------------------------------------------------------------------------------------ import


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = list(data) if isinstance(data, list | tuple) else [data]
        return [self._one(d, initial) for d in items] or [super().clean(None, initial)]

    def _one(self, upload, initial):
        """One file checked; a problem (an empty file, say) names the file it is about."""
        try:
            cleaned = super().clean(upload, initial)
            if getattr(upload, "size", 0) > settings.MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("文件超过 %(limit)s 的上限，请拆分后分次导入，或用命令 rungs import。"),
                    params={"limit": upload_limit()},
                )
            return cleaned
        except forms.ValidationError as exc:
            if not getattr(upload, "name", ""):
                raise
            raise forms.ValidationError([f"{upload_name(upload.name)}：{m}" for m in exc.messages]) from None


def upload_limit() -> str:
    return f"{settings.MAX_UPLOAD_BYTES / 1024 / 1024:g} MB"


def upload_name(name: str) -> str:
    """The file's own name, without any folder a browser may have sent."""
    return Path(name.replace("\\", "/")).name.strip()


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("数据文件"),
        error_messages={"required": _("请选择要导入的文件。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "一个 .xlsx 工作簿，或若干 CSV 文件（employees.csv、evaluations.csv 等，可多选），每个文件不超过 %(limit)s。"
        ) % {"limit": upload_limit()}

    def clean_files(self):
        files = self.cleaned_data["files"]
        names = [upload_name(f.name) for f in files]
        workbooks = [n for n in names if n.lower().endswith(".xlsx")]
        if workbooks:
            if len(files) > 1:
                raise forms.ValidationError(_("请只上传一个 .xlsx 工作簿，或者只上传 CSV 文件，不要混合。"))
            return files
        known = {f"{n}.csv" for n in FILES}
        unknown = [n for n in names if n.lower() not in known]
        if unknown:
            raise forms.ValidationError(
                _("无法识别的文件：%(names)s。CSV 文件名应为：%(known)s。"),
                params={"names": "、".join(unknown), "known": "、".join(f"{n}.csv" for n in FILES)},
            )
        if len({n.lower() for n in names}) != len(names):
            raise forms.ValidationError(_("同一个文件名出现了两次，请每个文件只选一次。"))
        return files


# ---------------------------------------------------------------------------------------------- policies


class PolicyForm(forms.Form):
    file = forms.FileField(
        label=_("策略文件（.yaml）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.txt"}),
    )
    text = forms.CharField(
        label=_("或在此编辑策略文件"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            raw = upload.read()
            try:
                data["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                try:
                    data["text"] = raw.decode("gb18030")
                except UnicodeDecodeError:
                    raise forms.ValidationError(_("无法读取文件：请保存为 UTF-8 编码的文本。")) from None
            data["filename"] = upload_name(upload.name)
        else:
            data["filename"] = "policy.yaml"
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请选择策略文件，或在文本框中填写策略。"))
        return data


class RunForm(forms.Form):
    policy = forms.ModelChoiceField(
        label=_("策略版本"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("请选择策略版本。")},
    )
    as_of = forms.DateField(
        label=_("评估日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": _("请填写评估日期。"), "invalid": _("评估日期应为 YYYY-MM-DD。")},
        help_text=_("计入此日期之前的全部记录。默认是明天，今天录入的记录也会计入。"),
    )
    reason = forms.CharField(
        label=_("原因（仅在使用非生效版本时填写）"),
        required=False,
        max_length=500,
        help_text=_("评估日期当天生效的版本以外的版本需要说明原因；这样的评估只供查阅。"),
    )

    def __init__(self, *args, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        from rungs.policies.models import Policy

        self.fields["policy"].queryset = policies if policies is not None else Policy.objects.all()
        self.fields["policy"].label_from_instance = lambda p: f"{p.label} · {p.scheme} {p.version}"
        # The facts the forms record are dated today; a run counts what is dated before its date, so a run
        # started today is dated tomorrow by default and counts them (see default_as_of).
        self.fields["as_of"].initial = default_as_of()


def default_as_of() -> dt.date:
    """The evaluation date a run started now gets by default: tomorrow, so everything dated up to and
    including today counts (a run counts the facts dated before its date)."""
    return clock.today() + dt.timedelta(days=1)


def is_future(day: dt.date) -> bool:
    return day > clock.today()


# ------------------------------------------------------------------------------------------------- facts

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def date_field(label) -> forms.DateField:
    """The date a fact happened: today by default, never in the future (see FactForm.clean_date)."""
    return forms.DateField(
        label=label,
        initial=clock.today,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={
            "required": _("请填写日期。"),
            "invalid": _("日期应为 YYYY-MM-DD，例如 2026-05-20。"),
        },
    )


class EmployeeField(forms.ModelChoiceField):
    """A person in the user's scope, chosen by 工号; people outside the scope are not offered."""

    def __init__(self, queryset, **kwargs):
        super().__init__(
            queryset=queryset.select_related("team").order_by("team__code", "employee_id"),
            to_field_name="employee_id",
            label=_("员工"),
            empty_label=_("— 请选择员工 —"),
            error_messages={
                "required": _("请选择员工。"),
                "invalid_choice": _("所选员工不在您的管理范围内。"),
            },
            **kwargs,
        )
        self.widget.attrs["data-searchable"] = _("搜索姓名、工号或班组")

    def label_from_instance(self, obj):
        team = f" · {obj.team.code}" if obj.team_id else ""
        return f"{obj.name}（{obj.employee_id}）{team}"


class FactForm(forms.Form):
    """The common part: whom it is about (within scope) and, for dated facts, when. A dated form's
    `event()` gives the fact as keyword arguments of rungs.records.services.event_record."""

    dated = True

    def __init__(self, *args, employees, refs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"employee": EmployeeField(employees), **self.fields}
        if "ref" in self.fields and isinstance(self.fields["ref"], forms.ChoiceField):
            # The policy's own items, in its words: a code typed by hand could never match a criterion.
            self.fields["ref"].choices = [("", _("— 请选择 —")), *refs]
        if self.dated:
            self.fields["date"] = date_field(_("日期"))
            self.fields["note"] = forms.CharField(label=_("备注"), required=False, max_length=500)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if is_future(day):
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return day


class ScoreForm(FactForm):
    """A monthly appraisal result (evaluations: period YYYY-MM, score, grade)."""

    dated = False
    period = forms.CharField(
        label=_("考核期（月）"),
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "2026-05", "type": "month"}),
        error_messages={"required": _("请填写考核期。")},
    )
    score = forms.FloatField(
        label=_("得分"),
        required=False,
        min_value=0,
        max_value=1000,
        error_messages={
            "invalid": _("得分应为数字，例如 92.5。"),
            "min_value": _("得分不能小于 0。"),
            "max_value": _("得分不能大于 1000。"),
        },
    )
    grade = forms.CharField(
        label=_("等级"), required=False, max_length=20, help_text=_("例如 优秀、良好、合格、A、B")
    )
    replace = forms.BooleanField(label=_("更正已有记录"), required=False)
    reason = forms.CharField(
        label=_("更正原因"), required=False, max_length=500, help_text=_("更正已有记录时必填，记入审计记录。")
    )

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        m = MONTH.match(period)
        if not m:
            raise forms.ValidationError(_("考核期应为 YYYY-MM，例如 2026-05。"))
        today = clock.today()
        if (int(m[1]), int(m[2])) > (today.year, today.month):
            raise forms.ValidationError(_("考核期不能晚于本月。"))
        return period

    def clean(self):
        d = super().clean()
        if d.get("score") is None and not (d.get("grade") or "").strip():
            raise forms.ValidationError(_("请填写得分或等级（至少一项）。"))
        if d.get("replace") and not (d.get("reason") or "").strip():
            self.add_error("reason", _("更正已有记录须填写更正原因。"))
        d["grade"] = (d.get("grade") or "").strip()
        return d


class AttestationForm(FactForm):
    """A supervisor's attestation that a condition of a policy is met (events: attestation, ref, 1/0)."""

    ref = forms.ChoiceField(
        label=_("认定项目"),
        help_text=_("当前生效的晋升策略中的认定项目。"),
        error_messages={"required": _("请选择认定项目。"), "invalid_choice": _("请从列表中选择认定项目。")},
    )
    value = forms.TypedChoiceField(
        label=_("结论"),
        choices=[("1", _("具备（通过）")), ("0", _("不具备（未通过）"))],
        coerce=int,
        widget=forms.RadioSelect,
        initial="1",
        error_messages={"required": _("请选择结论。")},
    )

    def event(self) -> dict:
        return {
            "type": "attestation",
            "ref": self.cleaned_data["ref"],
            "value": float(self.cleaned_data["value"]),
        }


class CommendationForm(FactForm):
    """A written commendation, from a customer (the customer is the ref) or internal."""

    source = forms.ChoiceField(
        label=_("表扬来源"),
        choices=[("customer", _("客户书面表扬")), ("internal", _("内部书面表扬"))],
        widget=forms.RadioSelect,
        initial="customer",
        error_messages={"required": _("请选择表扬来源。")},
    )
    customer = forms.CharField(
        label=_("客户"), required=False, max_length=100, help_text=_("客户名称或编号（客户表扬必填）")
    )

    def clean(self):
        d = super().clean()
        customer = (d.get("customer") or "").strip()
        if d.get("source") == "customer" and not customer:
            self.add_error("customer", _("客户表扬须填写客户名称或编号。"))
        d["customer"] = customer
        return d

    def event(self) -> dict:
        if self.cleaned_data["source"] == "customer":
            return {"type": "commendation_customer", "ref": self.cleaned_data["customer"]}
        return {"type": "commendation_internal"}


class ExamForm(FactForm):
    """An exam result recorded by the quality/training group (events: exam, ref = subject, value = score)."""

    ref = forms.ChoiceField(
        label=_("考试科目"),
        help_text=_("当前生效的晋升策略中的考试科目。"),
        error_messages={"required": _("请选择考试科目。"), "invalid_choice": _("请从列表中选择考试科目。")},
    )
    value = forms.FloatField(
        label=_("成绩"),
        min_value=0,
        max_value=1000,
        error_messages={
            "required": _("请填写成绩。"),
            "invalid": _("成绩应为数字，例如 86。"),
            "min_value": _("成绩不能小于 0。"),
            "max_value": _("成绩不能大于 1000。"),
        },
    )

    def event(self) -> dict:
        return {"type": "exam", "ref": self.cleaned_data["ref"], "value": self.cleaned_data["value"]}


class ExamBulkForm(forms.Form):
    """One exam sitting for many people: pasted lines of 工号 and 成绩 (from Excel: two columns)."""

    ref = forms.ChoiceField(
        label=_("考试科目"),
        error_messages={"required": _("请选择考试科目。"), "invalid_choice": _("请从列表中选择考试科目。")},
    )
    date = date_field(_("考试日期"))
    lines = forms.CharField(
        label=_("成绩（每行一人：工号 成绩）"),
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": "E000101\t86\nE000102\t92.5"}),
        max_length=200_000,
        error_messages={"required": _("请填写成绩。")},
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=500)

    MAX_LINES = 5000

    def __init__(self, *args, employees, refs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.employees = employees
        self.fields["ref"].choices = [("", _("— 请选择 —")), *refs]

    clean_date = FactForm.clean_date

    def clean_lines(self):
        rows, problems = [], []
        text = self.cleaned_data["lines"]
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if len(lines) > self.MAX_LINES:
            raise forms.ValidationError(_("一次最多 %(n)s 行。") % {"n": self.MAX_LINES})
        for n, line in lines:
            parts = re.split(r"[\s,，;；]+", line)
            if len(parts) != 2:
                problems.append(
                    _("第 %(n)s 行：应为“工号 成绩”两项，实际为“%(got)s”。") % {"n": n, "got": line[:60]}
                )
                continue
            eid, score = parts
            try:
                value = float(score)
            except ValueError:
                value = None
            if value is None or not (0 <= value <= 1000) or value != value:
                problems.append(
                    _("第 %(n)s 行：成绩应为 0–1000 的数字，实际为“%(got)s”。") % {"n": n, "got": score[:20]}
                )
                continue
            rows.append((n, eid, value))
        found = {e.employee_id: e for e in self.employees.filter(employee_id__in=[eid for _, eid, _ in rows])}
        seen: set[str] = set()
        results = []
        for n, eid, value in rows:
            if eid not in found:
                problems.append(
                    _("第 %(n)s 行：工号 %(id)s 不存在或不在您的管理范围内。") % {"n": n, "id": eid}
                )
            elif eid in seen:
                problems.append(_("第 %(n)s 行：工号 %(id)s 出现了两次。") % {"n": n, "id": eid})
            else:
                seen.add(eid)
                results.append((found[eid], value))
        if problems:
            raise forms.ValidationError(problems[:50])
        return results
