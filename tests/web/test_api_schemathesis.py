"""Property-based checks of the API against its own OpenAPI document (Schemathesis 4).

The schema is loaded from the Django WSGI application itself (no server); every GET operation and the
bulk upsert are called with generated requests and an HR token, and each response must not be a server
error and must match the schema documented for its status code. Examples are bounded so the whole test
runs in seconds, on the pytest-django test database (SQLite or PostgreSQL).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from rungs.accounts.models import User
from rungs.api.models import ApiToken
from rungs.people.models import Employee
from rungs.policies.models import Policy
from rungs.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance]
EXAMPLES = 10


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: a request through the real WSGI handler must not close the database
    connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(strategy, headers, examples=EXAMPLES):
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.mark.django_db
def test_api_conforms_to_its_schema(demo, keep_test_connection):
    key = ApiToken.issue(User.objects.get(username="demo-hr"), "schemathesis")[1]
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    schema.validate()
    operations = [result.ok() for result in schema.get_all_operations()]
    tested = [op for op in operations if op.method.upper() == "GET" or op.path == "/api/records/bulk"]
    assert len(tested) == 8, [op.label for op in tested]
    # Real identifiers too, so the documented 200 bodies are checked, not only the 404s of random ones.
    known = {
        "employee_id": Employee.objects.order_by("employee_id").last().employee_id,
        "scheme": Policy.objects.get().scheme,
        "version": Policy.objects.get().version,
    }
    for op in tested:
        _run(op.as_strategy(), headers)
        if op.query or op.body:  # invalid parameters and bodies: 400 with a problem list, never a 500
            _run(op.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE), headers)
        names = {p.name for p in op.path_parameters}
        if names:
            _run(op.as_strategy(path_parameters={n: known[n] for n in names}), headers, examples=5)
