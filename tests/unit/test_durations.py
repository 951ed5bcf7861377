"""Durations typed by operators (`?window=`, `--since`): 0 to 100 years; anything else is INVALID_DURATION (400),
never a server error. Found by the API fuzzer (tests/security/test_api_fuzz.py): `?window=inf` and
`?window=99999999999d` answered 500."""

from __future__ import annotations

import pytest

from leh.config import parse_duration_seconds
from tests.support.live import Api


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("15m", 900), ("24h", 86400), ("7d", 604800),
                                               ("3600", 3600), (" 1.5H ", 5400), ("0", 0)])
def test_durations_parse(text: str, seconds: int) -> None:
    assert parse_duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "infd", "-5m", "99999999999d", "1e30", "", "d", "abc"])
def test_out_of_range_or_malformed_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration_seconds(text)


@pytest.mark.parametrize("path", ["/api/admin/usage?window={}", "/api/admin/uploads/anomalies?window={}",
                                  "/api/admin/logs?since={}", "/api/admin/diagnose?stuck_after={}"])
def test_the_ops_api_answers_400_not_500(app_admin_api: Api, path: str) -> None:
    for text in ("inf", "99999999999d", "1e30"):
        resp = app_admin_api.call("GET", path.format(text))
        assert resp.status_code == 400, (path, text, resp.text)
        assert resp.json()["error"]["code"] == "INVALID_DURATION" and "7d" in resp.json()["error"]["message"]
    assert app_admin_api.call("GET", path.format("7d")).status_code == 200
