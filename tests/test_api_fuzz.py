"""Schemathesis drives every operation of /api/v1/openapi.json with generated input, signed in as an admin.

It checks that nothing answers 500 and that every answer matches the documented schema.
Bounded examples per operation keep `make test` quick; raise HUB_FUZZ_EXAMPLES to dig deeper.
"""

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "12"))


def test_api_conforms_to_its_document(app, people):
    """No generated request gets a 500 or an answer outside its schema, on any operation."""
    def isolated(environ, start_response):
        with app.app_context():  # each request gets a fresh app context (its own `g`), as on a server
            return list(app(environ, start_response))

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated)
    headers = people.auth("admin")
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
        def exercise(case):
            # Valid-looking input may still name a department that does not exist: a 422 there is right.
            case.call_and_validate(headers=headers, excluded_checks=[checks.positive_data_acceptance])

        try:
            exercise()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:800]}")
    assert failures == [], "\n\n".join(failures)
