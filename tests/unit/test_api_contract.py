"""The API paths of DESIGN.md section 7 are a contract: every one must exist with its method."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leh.api.app import create_app
from leh.config import Settings

CONTRACT = [
    ("post", "/api/auth/login"), ("get", "/api/auth/me"), ("post", "/api/auth/logout"),
    ("get", "/api/health"), ("get", "/api/health/ready"),
    ("get", "/api/cases"), ("post", "/api/cases"), ("get", "/api/cases/{case_id}"), ("patch", "/api/cases/{case_id}"),
    ("delete", "/api/cases/{case_id}"), ("get", "/api/cases/{case_id}/members"), ("post", "/api/cases/{case_id}/members"),
    ("delete", "/api/cases/{case_id}/members"), ("post", "/api/evidence/presigned-url"),
    ("post", "/api/evidence/upload-complete"), ("post", "/api/cases/{case_id}/evidence"),
    ("get", "/api/cases/{case_id}/evidence"), ("get", "/api/evidence/{evidence_id}"),
    ("delete", "/api/evidence/{evidence_id}"), ("get", "/api/cases/{case_id}/timeline"),
    ("get", "/api/cases/{case_id}/search"), ("post", "/api/cases/{case_id}/ask"),
    ("post", "/api/cases/{case_id}/draft-preview"), ("get", "/api/cases/{case_id}/draft-preview"),
    ("get", "/api/cases/{case_id}/draft-export"), ("get", "/api/staff/progress"), ("get", "/api/staff/progress/stream"),
    ("post", "/api/admin/reprocess-evidence"), ("post", "/api/admin/reindex-case"), ("post", "/api/admin/restore-case"),
    ("get", "/api/admin/dlq"), ("post", "/api/admin/dlq/redrive"), ("get", "/api/admin/breakers"),
    ("post", "/api/admin/cases/{case_id}/breaker"), ("get", "/api/admin/users"), ("post", "/api/admin/users"),
    ("post", "/api/admin/users/{user_id}/block"), ("post", "/api/admin/users/{user_id}/unblock"),
    ("get", "/api/admin/usage"), ("get", "/api/admin/uploads/anomalies"), ("get", "/api/admin/audit"),
]


def test_every_contract_path_is_served_and_documented(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings=Settings(data_dir=tmp_path, demo=False, secret_key="k" * 40))
    with TestClient(app) as client:
        spec = client.get("/api/openapi.json").json()
    served = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    # Path parameter names may differ; compare the shapes.
    def shape(path: str) -> str:
        return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))
    served_shapes = {(m, shape(p)) for m, p in served}
    missing = [(m, p) for m, p in CONTRACT if (m, shape(p)) not in served_shapes]
    assert missing == []
