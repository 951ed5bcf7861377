"""docs/api.md is the API contract, kept true: documented paths are served, served paths are documented."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from leh.api.app import create_app
from leh.config import Settings

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"
_ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE)` \| `(/api/[^`]*)` \| .* \| (served|served, hidden|planned) \|$")


def contract() -> dict[tuple[str, str], str]:
    """{(method, path shape): status} for every row of the paths table in docs/api.md."""
    rows: dict[tuple[str, str], str] = {}
    for line in API_MD.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            key = (m.group(1).lower(), shape(m.group(2)))
            assert key not in rows, f"{key} documented twice"
            rows[key] = m.group(3)
    return rows


def shape(path: str) -> str:
    """Path parameter names may differ between docs and code; compare the shapes."""
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    # FastAPI may wrap included routers (`original_router`); walk into them.
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)


@dataclass
class Served:
    in_spec: set[tuple[str, str]]  # (method, path shape) under /api/ in /api/openapi.json
    routes: set[tuple[str, str]]  # the same for every route, hidden ones too
    client: TestClient

    def answers(self, method: str, path_shape: str) -> bool:
        """True if a request reaches a route: not the router's own 404 NOT_FOUND or 405."""
        resp = self.client.request(method.upper(), path_shape.replace("{}", "x"))
        routed_404 = resp.status_code == 404 and resp.json()["error"]["code"] == "NOT_FOUND"
        return not routed_404 and resp.status_code != 405


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    app = create_app(settings=Settings(data_dir=tmp_path_factory.mktemp("var"), demo=False, secret_key="k" * 40))
    with TestClient(app) as client:
        spec = client.get("/api/openapi.json").json()
        in_spec = {(method, shape(path)) for path, ops in spec["paths"].items() if path.startswith("/api/")
                   for method in ops}
        routes = {(method.lower(), shape(r.path)) for r in _api_routes(app.routes) if r.path.startswith("/api/")
                  for method in r.methods - {"HEAD"}}
        assert in_spec and in_spec <= routes  # the route walk sees at least what OpenAPI shows
        yield Served(in_spec, routes, client)


def test_the_paths_table_parses_and_holds_the_design_contract() -> None:
    rows = contract()
    assert len(rows) >= 50
    # DESIGN.md section 7 rows, served or not, are all there.
    for key in [("post", "/api/auth/login"), ("get", "/api/cases/{}/timeline"), ("post", "/api/cases/{}/ask"),
                ("get", "/api/cases/{}/draft-export"), ("get", "/api/cases/{}/parties"), ("put", "/api/cases/{}/parties"),
                ("put", "/api/evidence/{}/speakers"), ("patch", "/api/evidence/{}/labels"), ("get", "/api/cases/{}/risks"),
                ("post", "/api/admin/users/{}/unblock"), ("get", "/api/admin/audit")]:
        assert key in rows, key


def test_every_path_documented_as_served_is_served(served: Served) -> None:
    rows = contract()
    missing = [k for k, status in rows.items() if status == "served" and k not in served.in_spec]
    hidden = [k for k, status in rows.items() if status == "served, hidden"]
    assert hidden, "the signed object URLs are documented"
    hidden_missing = [k for k in hidden if k in served.in_spec or k not in served.routes or not served.answers(*k)]
    assert (missing, hidden_missing) == ([], [])


def test_planned_paths_are_not_served_yet(served: Served) -> None:
    planned = [k for k, status in contract().items() if status == "planned"]
    assert planned == []  # parties, speakers, labels and risks are served now
    built = [k for k in planned if k in served.routes or served.answers(*k)]
    assert built == [], "now served: mark these rows served in docs/api.md"
    assert served.answers("get", "/api/cases/{}")  # the probe tells a route from no route


def test_every_served_api_path_is_documented(served: Served) -> None:
    rows = contract()
    undocumented = sorted(k for k in served.routes | served.in_spec if k not in rows)
    assert undocumented == [], "add these to docs/api.md"
