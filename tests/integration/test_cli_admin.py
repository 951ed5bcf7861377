"""`leh admin` against a running LEH: create, reset password and block take effect on the API at once."""

from __future__ import annotations

import subprocess
import sys

from tests.support.live import Api, LehProcesses


def _leh(leh: LehProcesses, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leh", *args], env=leh.env, capture_output=True, text=True, timeout=60)


def test_admin_commands_take_effect_on_the_api(leh: LehProcesses) -> None:
    made = _leh(leh, "admin", "create-user", "--email", "Cli.Lawyer@Test.local", "--password", "first-pass-1",
                "--role", "lawyer", "--name", "터미널 변호사")
    assert made.returncode == 0, made.stderr
    api = Api(leh.base_url).login("cli.lawyer@test.local", "first-pass-1")
    me = api.data("GET", "/api/auth/me")
    assert (me["email"], me["role"], me["name"]) == ("cli.lawyer@test.local", "lawyer", "터미널 변호사")
    assert _leh(leh, "admin", "create-user", "--email", "cli.lawyer@test.local", "--password", "other-pass-1",
                "--role", "lawyer").returncode != 0  # the email is taken

    reset = _leh(leh, "admin", "reset-password", "cli.lawyer@test.local", "--password", "second-pass-2")
    assert reset.returncode == 0, reset.stderr
    assert api.call("GET", "/api/auth/me").status_code == 401  # tokens from before the reset are dead
    assert Api(leh.base_url).call("POST", "/api/auth/login", json={
        "email": "cli.lawyer@test.local", "password": "first-pass-1"}).status_code == 401
    api = Api(leh.base_url).login("cli.lawyer@test.local", "second-pass-2")

    assert _leh(leh, "admin", "block", "cli.lawyer@test.local").returncode == 0
    assert api.call("GET", "/api/auth/me").json()["error"]["code"] == "USER_BLOCKED"
    assert _leh(leh, "admin", "unblock", "cli.lawyer@test.local").returncode == 0
    assert Api(leh.base_url).login("cli.lawyer@test.local", "second-pass-2").data("GET", "/api/auth/me")["id"] == me["id"]
    listed = _leh(leh, "admin", "list-users", "--json")
    assert '"cli.lawyer@test.local"' in listed.stdout and '"active"' in listed.stdout
