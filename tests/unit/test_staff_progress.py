"""Who sees what on /staff/progress (DESIGN §8): members see their cases' items in full; an admin sees every item
system-wide with its operational fields but without file names or case titles of cases they are not a member of."""

from __future__ import annotations

from tests.conftest import make_user
from tests.support.live import Api


def _upload(lawyer: Api, title: str, filename: str) -> tuple[str, str]:
    case = lawyer.data("POST", "/api/cases", 201, json={"title": title})
    ev = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                     files={"file": (filename, "남편의 폭언 기록".encode(), "text/plain")})
    return case["id"], ev["id"]


def test_members_see_their_items_and_the_admin_sees_all_without_names(app_admin_api: Api) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    staff = make_user(app_admin_api, "staff@test.local", role="staff")
    other = make_user(app_admin_api, "other@test.local")
    cid, eid = _upload(owner, "비밀 사건", "진술서-비밀.txt")
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "staff@test.local", "role": "member"})

    staff_items = staff.data("GET", "/api/staff/progress")["items"]
    assert [(i["evidence_id"], i["filename"], i["case_title"], i["member"]) for i in staff_items] == [
        (eid, "진술서-비밀.txt", "비밀 사건", True)]
    assert other.data("GET", "/api/staff/progress")["items"] == []

    admin_view = app_admin_api.data("GET", "/api/staff/progress")
    row = next(i for i in admin_view["items"] if i["evidence_id"] == eid)
    assert (row["case_id"], row["member"], row["filename"], row["case_title"]) == (cid, False, None, None)
    assert row["status"] in ("uploading", "queued", "processing") and "worker_id" in row
    assert admin_view["counts"][row["status"]] >= 1

    staff_page = staff.page("/staff/progress")
    assert "진술서-비밀.txt" in staff_page and "비밀 사건" in staff_page
    admin_page = app_admin_api.page("/staff/progress")
    assert eid[:8] in admin_page and cid[:8] in admin_page and 'data-testid="masked-file"' in admin_page
    assert "진술서-비밀.txt" not in admin_page and "비밀 사건" not in admin_page
