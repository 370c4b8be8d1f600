"""The REST API (django-ninja), mounted at /api/. Token authentication only; the scopes are the pages'.

Every employee query starts from `visible_employees(user)`: an agent sees their own record, a team lead
their team, a supervisor or department manager their department, the company-wide roles everyone. An
employee outside the caller's scope does not exist for them (404).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Path, Query, Status, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from rungs.accounts.authority import Denied, refusal
from rungs.accounts.scope import visible_employees
from rungs.api import bulk
from rungs.api.models import ApiToken
from rungs.api.schemas import (
    BulkIn,
    BulkOut,
    EmployeeOut,
    EmployeePage,
    EvaluationRunOut,
    Message,
    NoNul,
    PolicyOut,
    PolicyProblem,
    Problems,
    RecordsOut,
)
from rungs.core.interchange.errors import DataError
from rungs.core.policy.errors import PolicyError
from rungs.datasets.services import OutOfScope
from rungs.people.models import Assignment, Employee
from rungs.policies.models import Policy
from rungs.policies.runs import decisions_as_contract
from rungs.policies.selectors import current_run
from rungs.policies.services import DuplicateVersion, policy_create

MAX_PAGE_SIZE = 200
POLICY_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; keys come from `rungs manage create_api_token`. No session, so no
    CSRF token is needed and a browser's login cookie never authorises an API call."""

    def authenticate(self, request, token):
        user = ApiToken.user_for(token.strip())
        if user is not None:
            request.user = user
        return user


class _Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese names as text, not \\u escapes


class _API(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        """As ninja's, but keeps each error's input (ninja drops it), so a problem can show what came."""
        errors = []
        for context in error_contexts:
            model = context.model
            for e in context.pydantic_validation_error.errors(include_url=False, include_context=False):
                e["loc"] = (model.__ninja_param_source__,) + model.__ninja_flatten_map_reverse__.get(
                    e["loc"], e["loc"]
                )
                errors.append(dict(e))
        return ValidationError(errors)


api = _API(
    renderer=_Renderer(),
    title="Rungs API",
    version="1",
    description=(
        "Employees, performance records, policies and eligibility decisions of Rungs. Send "
        "`Authorization: Bearer <key>` with a key from `rungs manage create_api_token <username>`. "
        "Each user sees exactly what the web pages show them."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

_ERRORS = {400: Problems, 401: Message, 404: Message}  # 400: a malformed parameter


def _where(loc: list[str]) -> tuple[str, int | None, str | None]:
    if len(loc) >= 3 and loc[0] == "body" and loc[2] in bulk.TABLES:
        row = int(loc[3]) if len(loc) > 3 and loc[3].isdigit() else None
        return loc[2], row, loc[4] if len(loc) > 4 else None
    where = loc[0] if loc else "request"
    return where, None, ".".join(loc[2:] if where == "body" else loc[1:]) or None


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    """Malformed requests are 400 with the same problem list as invalid rows (not ninja's 422). A cell
    that fits none of text/integer/number gives one problem, not one per alternative."""
    grouped: dict[tuple, list[dict]] = {}
    for error in exc.errors:
        grouped.setdefault(_where([str(x) for x in error.get("loc", ())]), []).append(error)
    problems = []
    for (file, row, column), errors in grouped.items():
        about_text = [e for e in errors if str(e.get("type", "")).startswith("string_")]
        if about_text or len(errors) == 1:
            expected = (about_text or errors)[0].get("msg", "")
        else:
            expected = "text or a number"
        got = errors[0].get("input")
        got = None if got is None or isinstance(got, dict | list) else str(got)[:200]
        problems.append({"file": file, "row": row, "column": column, "expected": expected, "got": got})
    return api.create_response(request, {"detail": "invalid request", "problems": problems}, status=400)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):
    """A body over settings.MAX_BODY_BYTES: a 400 with the limit, in the problem list every 400 has (not
    Django's HTML error page)."""
    limit = f"{settings.MAX_BODY_BYTES / 1024 / 1024:g} MB"
    detail = (
        f"请求体超过 {limit} / the request body is larger than {limit}; send the rows in several requests"
    )
    problem = {"file": "body", "row": None, "column": None, "expected": f"at most {limit}", "got": None}
    return api.create_response(request, {"detail": detail, "problems": [problem]}, status=400)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """ninja's own 400s (a body that is not JSON) get a problem list too, as every documented 400 has."""
    body = {"detail": str(exc)}
    if exc.status_code == 400:
        body["problems"] = [
            {"file": "body", "row": None, "column": None, "expected": "a JSON object", "got": None}
        ]
    return api.create_response(request, body, status=exc.status_code)


def _user(request):
    return request.auth


def _require(request, action: str) -> None:
    reason = refusal(_user(request), action)
    if reason is not None:
        raise HttpError(403, reason)


def _employee(request, employee_id: str) -> Employee:
    return get_object_or_404(visible_employees(_user(request)), employee_id=employee_id)


def _employee_out(e: Employee) -> dict:
    return {
        "employee_id": e.employee_id,
        "name": e.name,
        "hire_date": e.hire_date,
        "team": e.team.code if e.team else None,
        "department": e.department.name if e.department else None,
        "education": e.education or None,
        "status": e.status,
        "regularized_on": e.regularized_on,
        "manager_id": e.manager.employee_id if e.manager else None,
        "birth_date": e.birth_date,
        "levels": [
            {"track": a.track, "level": a.level, "since": a.start_date, "kind": a.kind} for a in e.current
        ],
    }


def _with_levels(qs):
    current = Assignment.objects.filter(end_date__isnull=True).exclude(kind=Assignment.Kind.ACTING)
    return qs.select_related("team", "department", "manager").prefetch_related(
        Prefetch("assignments", queryset=current.order_by("track", "-start_date"), to_attr="current")
    )


EmployeeId = Path(..., pattern=NoNul, max_length=200)
Name = Query(None, pattern=NoNul, max_length=200)


# ------------------------------------------------------------------------------------------ employees


@api.get("/employees", response={200: EmployeePage, **_ERRORS}, tags=["employees"])
def list_employees(
    request,
    team: str | None = Name,
    department: str | None = Name,
    status: Employee.Status | None = None,
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
):
    """The employees the caller may see, by employee_id; `team` is a team code, `department` a name."""
    qs = visible_employees(_user(request))
    if team is not None:
        qs = qs.filter(team__code=team)
    if department is not None:
        qs = qs.filter(department__name=department)
    if status is not None:
        qs = qs.filter(status=status)
    qs = qs.order_by("employee_id")
    start = (page - 1) * page_size
    items = [_employee_out(e) for e in _with_levels(qs[start : start + page_size])]
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": items}


@api.get("/employees/{employee_id}", response={200: EmployeeOut, **_ERRORS}, tags=["employees"])
def get_employee(request, employee_id: str = EmployeeId):
    e = _employee(request, employee_id)
    return _employee_out(_with_levels(Employee.objects.filter(pk=e.pk)).get())


@api.get("/employees/{employee_id}/records", response={200: RecordsOut, **_ERRORS}, tags=["records"])
def employee_records(request, employee_id: str = EmployeeId):
    """Appraisals, KPI values and events of one employee, in the interchange columns."""
    e = _employee(request, employee_id)
    return {
        "employee_id": e.employee_id,
        "evaluations": [
            {
                "period": v.period,
                "score": v.score,
                "grade": v.grade or None,
                "coefficient": v.coefficient,
                "rank": v.rank,
            }
            for v in e.evaluations.order_by("period_kind", "seq")
        ],
        "metrics": [
            {"period": k.period, "metric": k.metric, "value": k.value}
            for k in e.metrics.order_by("metric", "period_kind", "seq")
        ],
        "events": [
            {"date": v.date, "type": v.type, "value": v.value, "ref": v.ref or None, "note": v.note or None}
            for v in e.events.order_by("date", "pk")
        ],
    }


@api.get(
    "/employees/{employee_id}/decisions", response={200: EvaluationRunOut, **_ERRORS}, tags=["evaluations"]
)
def employee_decisions(request, employee_id: str = EmployeeId, scheme: str | None = Name):
    """The employee's results in the latest evaluation run (of `scheme`, if given)."""
    e = _employee(request, employee_id)
    return _latest(request, scheme, Employee.objects.filter(pk=e.pk), employee=e)


# ------------------------------------------------------------------------------------------ records


@api.post(
    "/records/bulk",
    response={200: BulkOut, 400: Problems, 401: Message, 403: Message},
    tags=["records"],
)
def bulk_upsert(request, payload: BulkIn):
    """Adds or updates appraisals, KPI values and events, matched by their natural keys (an appraisal by
    employee and period, a KPI value by employee, period and metric, an event by all its columns), as a
    file import does: all rows are written or none, and sending the same rows again changes nothing.
    Invalid rows give 400 with every problem found (`row` is the position in its list, from 0). Up to
    100,000 rows per list in a body of at most 64 MB (MAX_BODY_MB); a larger body is a 400."""
    rows = {name: [r.model_dump(exclude_unset=True) for r in getattr(payload, name)] for name in bulk.TABLES}
    try:
        p, warnings = bulk.upsert(rows, _user(request))
    except DataError as exc:
        problems = [
            {"file": x.file, "row": x.row, "column": x.column, "expected": x.expected, "got": x.got}
            for x in exc.problems
        ]
        return Status(
            400, {"detail": f"{len(problems)} problem(s); nothing was written", "problems": problems}
        )
    except OutOfScope as exc:
        raise HttpError(403, f"outside your scope: {exc}") from None
    except Denied as exc:
        raise HttpError(403, exc.reason) from None
    empty = {"new": 0, "changed": 0, "unchanged": 0}
    out = {name: vars(p.changes[name]) if name in p.changes else empty for name in bulk.TABLES}
    return {**out, "warnings": warnings}


# ------------------------------------------------------------------------------------------ policies


def _policy_out(p: Policy) -> dict:
    return {
        "scheme": p.scheme,
        "version": p.version,
        "effective_from": p.effective_from,
        "label": p.label,
        "uploaded_at": p.uploaded_at,
        "uploaded_by": p.uploaded_by.username if p.uploaded_by else None,
    }


@api.get("/policies", response={200: list[PolicyOut], 400: Problems, 401: Message}, tags=["policies"])
def list_policies(request):
    """Every stored policy version, newest first within a scheme."""
    return [
        _policy_out(p)
        for p in Policy.objects.select_related("uploaded_by").order_by("scheme", "-effective_from", "-pk")
    ]


@api.get(
    "/policies/{scheme}/{version}",
    response=_ERRORS,
    tags=["policies"],
    openapi_extra={
        "responses": {
            200: {
                "description": "The policy file as uploaded (YAML).",
                "content": {"application/yaml": {"schema": {"type": "object"}}},
            }
        }
    },
)
def get_policy(request, scheme: str = Path(..., pattern=NoNul), version: str = Path(..., pattern=NoNul)):
    p = get_object_or_404(Policy, scheme=scheme, version=version)
    return HttpResponse(p.text, content_type="application/yaml; charset=utf-8")


@api.post(
    "/policies",
    response={201: PolicyOut, 400: PolicyProblem, 401: Message, 403: Message, 409: Message},
    tags=["policies"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The policy file (YAML, UTF-8), as the request body.",
            "content": {"application/yaml": {"schema": {"type": "string"}}},
        }
    },
)
def upload_policy(request):
    """Stores a policy file as a new version after validating it; an invalid file gives 400 with the
    line and column of the problem, an already stored scheme and version 409."""
    _require(request, "policy.create")
    try:
        text = request.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Status(400, {"detail": "policy.yaml: the file must be UTF-8 text", "line": 0, "column": 0})
    try:
        policy = policy_create(text=text, filename="policy.yaml", actor=_user(request))
    except PolicyError as exc:
        return Status(400, {"detail": str(exc), "line": exc.line, "column": exc.column})
    except DuplicateVersion as exc:
        raise HttpError(409, str(exc)) from None
    return Status(201, _policy_out(policy))


# ------------------------------------------------------------------------------------------ evaluations


def _latest(request, scheme: str | None, employees, employee=None) -> dict:
    """The run the pages show the caller (rungs.policies.selectors.current_run): the version in force,
    in the caller's scope, with the latest evaluation date."""
    run = current_run(_user(request), scheme, employee=employee)
    if run is None:
        raise HttpError(404, "no evaluation run yet")
    # how old the data are, as every result page says it (extends the contract's shape)
    freshness = {"data_through": run.data_through, "stale": run.stale}
    return decisions_as_contract(run, employees) | freshness


@api.get("/evaluations/latest", response={200: EvaluationRunOut, **_ERRORS}, tags=["evaluations"])
def latest_evaluation(request, scheme: str | None = Name):
    """The latest evaluation run (of `scheme`, if given) in the shape of `rungs evaluate --format json`,
    with the results of the employees the caller may see."""
    return _latest(request, scheme, visible_employees(_user(request)))
