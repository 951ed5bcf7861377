"""Issue #15: schemathesis over `/api/openapi.json`, signed in, against a case with data.

Every documented operation gets generated requests (valid and invalid bodies, queries and path values) with the
real ids of a case that has a processed evidence and a draft, as its owner — the admin for /api/admin. The
answer must never be a server error and must be what the document promises: a documented status, the
documented content type and headers, and a body that validates against the documented schema.

Bounded for CI (a fixed number of examples per operation, derandomized so a run is repeatable); the SSE stream is
left to tests/security/test_route_matrix.py (an endless body), and logout gets a token of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.case_world import CaseWorlds, World, case_worlds

MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Path parameters that name something of the case: the fuzzer's strings would only ever be "not found".
PATH_IDS = {"case_id": "case_id", "evidence_id": "evidence_id", "draft_id": "draft_id", "user_id": "spare_id"}
# Operations that end what they touch (close the case, delete the evidence, block the user) act on a case of
# their own, so the rest of the run still has an open case with live evidence.
OWN_WORLD = {("DELETE", "/api/cases/{case_id}"), ("DELETE", "/api/evidence/{evidence_id}"),
             ("POST", "/api/admin/users/{user_id}/block"), ("POST", "/api/admin/cases/{case_id}/breaker"),
             ("POST", "/api/admin/restore-case")}


@pytest.fixture(scope="module")
def fuzz_worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseWorlds]:
    with case_worlds(Path(tmp_path_factory.mktemp("fuzz")) / "var") as worlds:
        yield worlds


@pytest.fixture(scope="module")
def own_worlds(fuzz_worlds: CaseWorlds) -> dict[tuple[str, str], World]:
    return {op: fuzz_worlds.new_world() for op in OWN_WORLD}


def _operations(worlds: CaseWorlds) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", worlds.client.app)
    ops = [result.ok() for result in schema.get_all_operations()]
    assert len(ops) > 50
    return [op for op in ops if op.path != "/api/staff/progress/stream"]


def _fuzz(worlds: CaseWorlds, own: dict[tuple[str, str], World], op: schemathesis.APIOperation,
          mode: GenerationMode) -> None:
    key = (op.method.upper(), op.path)
    world = own.get(key, worlds.base)
    fixed = {name: world.ids[PATH_IDS[name]] for name in PATH_IDS if "{" + name + "}" in op.path}

    @given(case=op.as_strategy(mode, path_parameters=fixed))
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        if key == ("POST", "/api/auth/logout"):
            token = worlds.new_token("owner")
        else:
            token = worlds.tokens["admin" if op.path.startswith("/api/admin/") else "owner"]
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS, timeout=120)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzed_requests_get_documented_answers_and_never_a_server_error(
        fuzz_worlds: CaseWorlds, own_worlds: dict[tuple[str, str], World], mode: GenerationMode) -> None:
    failures: list[str] = []
    for op in _operations(fuzz_worlds):
        try:
            _fuzz(fuzz_worlds, own_worlds, op, mode)
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE, op.path  # nothing in the request can be made invalid
        except Exception as exc:  # every operation is fuzzed; all failures are reported together
            subs = getattr(exc, "exceptions", ())
            failures.append(f"{op.method.upper()} {op.path}: {exc}" + "".join(f"\n  - {e}"[:1500] for e in subs)[:4000])
    assert not failures, "\n\n".join(failures)
