"""Who is who on the web pages: the case's parties, its unfavourable evidence (risks) and members on the case page;
the speaker → party map, label corrections and transcript-line corrections on the evidence page.

The case-page panels are htmx partials (CSRF header on posts, errors as the panel's own HTML with `X-Leh-Partial`);
the evidence-page forms are plain posts that redirect back to the page (everything on it is re-derived).
Routes call the same services as the JSON API and audit the same way (names and evidence words never in the audit).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from leh.analysis.speakers import voice_names
from leh.api.deps import AuditDep, ContainerDep, DbDep
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import ERROR_MESSAGES_KO, Forbidden, LehError, NotFound, ValidationFailed
from leh.domain.parties import AUTHOR_KEY, Parties
from leh.models import User
from leh.ports import EvidenceStore
from leh.services import cases as case_svc
from leh.services import corrections
from leh.services import evidence as evidence_svc
from leh.services import parties as parties_svc
from leh.web.pages.common import CSRF_FIELD, PageUser, check_csrf, env, redirect, render

router = APIRouter(include_in_schema=False)

ERROR_HEADER: Final = "X-Leh-Partial"
PARTY_KO: Final = {"client": "의뢰인", "opponent": "상대방", "third_party": "제3자", "unknown": "미상",
                   "opponent_parent": "상대방의 부모", "client_parent": "의뢰인의 부모"}
ACTOR_KO: Final = {"client": "의뢰인의 행위", "opponent": "상대방의 행위", "third_party": "제3자의 행위",
                   "unknown": "행위자 미상"}
FAVOURS_KO: Final = {"client": "의뢰인에게 유리", "opponent": "불리한 증거", "neutral": "중립"}
SOURCE_KO: Final = {"engine": "엔진", "lawyer": "변호사"}
MEMBER_ROLES: Final = ("owner", "member", "viewer")
MAX_CHILD_ROWS: Final = 10
# Unknown e-mail: the same words whether or not an account exists (no account discovery through this form).
MEMBER_NOT_ADDED: Final = ("이 이메일로는 구성원을 추가할 수 없습니다. 주소를 확인하고, 계정이 없는 분이라면 관리자에게 "
                           "계정 등록을 먼저 요청해주세요.")
# The API's messages speak JSON; on the page the same codes say what to do with the form.
_WEB_MESSAGES: Final = {
    "LABEL_SEGMENTS_REQUIRED": "라벨을 붙일 구간 번호를 하나 이상 입력해주세요 (예: 3, 5-7).",
    "LABEL_CORRECTION_EMPTY": "바꿀 라벨을 골라주세요.",
    "INVALID_SPEAKERS_MAP": "화자마다 의뢰인·상대방·제3자·미상·상대방의 부모·의뢰인의 부모 중 하나를 골라주세요.",
    "SEGMENT_RANGE_INVALID": "구간 번호는 숫자로 입력해주세요 (예: 3, 5-7).",
    "SEGMENT_NOT_CORRECTABLE": "이 구간은 원본 파일의 글자 그대로라 고칠 수 없습니다.",
}
_NOTICES: Final = {"speakers": "화자 확인을 저장했습니다. 라벨과 타임라인을 다시 만들었습니다.",
                   "labels": "라벨 수정을 저장했습니다. 타임라인과 소장 초안에도 반영됩니다.",
                   "segment": "문장 수정을 저장했습니다. 원문은 함께 보관됩니다."}
_LAST_OWNER_ROLE: Final = "마지막 담당자의 역할은 바꿀 수 없습니다. 다른 담당자를 먼저 지정해주세요."

def label_text(label: dict[str, Any]) -> str:
    """'상대방의 행위 · 의뢰인에게 유리' for a label with attribution, '' for one without."""
    actor, favours = label.get("actor"), label.get("favours")
    who = ACTOR_KO.get(str(actor), "")
    side = PARTY_KO.get(str(label.get("actor_side") or "")) if actor == "third_party" else None
    if side in ("의뢰인", "상대방"):
        who = f"제3자({side} 측)의 행위"  # abuse by a spouse's family
    parts = [who, FAVOURS_KO.get(str(favours), "")]
    return " · ".join(p for p in parts if p)


env().globals.update(label_text=label_text, correctable=corrections.correctable, PARTY_KO=PARTY_KO,
                     SOURCE_KO=SOURCE_KO, MEMBER_ROLES=MEMBER_ROLES, AUTHOR_KEY=AUTHOR_KEY)


def message_of(code: str) -> str:
    return _WEB_MESSAGES.get(code) or ERROR_MESSAGES_KO.get(code) or "요청을 처리하지 못했습니다. 새로고침한 뒤 다시 시도해주세요."


def _partial(request: Request, name: str, case_id: str, *, status: int = 200, trigger: str | None = None,
             **ctx: Any) -> HTMLResponse:
    response = render(request, name, status_code=status, case={"id": case_id}, case_id=case_id, **ctx)
    if status >= 400:
        response.headers[ERROR_HEADER] = "error"
    if trigger:
        response.headers["HX-Trigger"] = trigger
    return response


def _role(db: Session, user: User, case_id: str) -> tuple[str, bool]:
    """The viewer's case role and whether the case is open for changes (404 for non-members)."""
    case = case_svc.require_case(db, user, case_id)
    member = case_svc.membership(db, user, case_id)
    return (member.role if member else ""), case.status == "active"


# ---------------------------------------------------------------------------------------------- parties
def _parties_form(parties: Parties) -> dict[str, Any]:
    """The form's values from stored parties (aliases comma-separated, one empty child row to fill in)."""
    def person(p: Any) -> dict[str, str]:
        return {"name": p.name if p else "", "aliases": ", ".join(p.aliases) if p else ""}

    children = [{"name": ch.name, "birth_year": "" if ch.birth_year is None else str(ch.birth_year)} for ch in parties.children]
    return {"client": person(parties.client), "opponent": person(parties.opponent),
            "children": [*children, {"name": "", "birth_year": ""}][:MAX_CHILD_ROWS],
            "client_side": str(parties.client_side)}


def _aliases(text: str) -> list[str]:
    return [a.strip() for a in re.split(r"[,\n]", text) if a.strip()]


def _parties_raw(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The API's parties JSON from the form, and the form's values as typed (shown again on an error)."""
    typed: dict[str, Any] = {"client_side": str(form.get("client_side") or "plaintiff"), "children": []}
    raw: dict[str, Any] = {"client_side": typed["client_side"], "children": []}
    for who in ("client", "opponent"):
        name, aliases = str(form.get(f"{who}_name") or "").strip(), str(form.get(f"{who}_aliases") or "")
        typed[who] = {"name": name, "aliases": aliases}
        raw[who] = {"name": name, "aliases": _aliases(aliases)} if name or aliases.strip() else None
    for i in range(MAX_CHILD_ROWS):
        name, year = str(form.get(f"child_name_{i}") or "").strip(), str(form.get(f"child_year_{i}") or "").strip()
        if not name and not year:
            continue
        typed["children"].append({"name": name, "birth_year": year})
        raw["children"].append({"name": name, "birth_year": int(year) if year.isdigit() else (year or None)})
    if not typed["children"] or typed["children"][-1]["name"]:
        typed["children"].append({"name": "", "birth_year": ""})
    typed["children"] = typed["children"][:MAX_CHILD_ROWS]
    return raw, typed


@router.get("/cases/{case_id}/parties")
def parties_panel(case_id: str, request: Request, db: DbDep, user: PageUser, edit: str = "") -> Response:
    """The 당사자 panel: the parties as text, or (`edit=1`, owner/member of an open case) the form."""
    role, active = _role(db, user, case_id)
    can_edit = role in ("owner", "member") and active
    parties = parties_svc.load(db, case_id)
    return _partial(request, "_parties_panel.html", case_id, parties=parties.to_dict(), form=_parties_form(parties),
                    editing=bool(edit) and can_edit, can_edit=can_edit, error=None, notice=None)


@router.post("/cases/{case_id}/parties")
async def parties_save(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                       audit: AuditDep) -> Response:
    """Save the parties (validation errors beside the form, in Korean); evidence is re-derived for the new names."""
    form = await request.form()
    check_csrf(request)
    raw, typed = _parties_raw(form)
    try:
        if any(not isinstance(ch["birth_year"], int | None) for ch in raw["children"]):
            raise ValidationFailed("INVALID_CHILD")
        parties, changed = parties_svc.put_parties(db, user, case_id, raw)
    except LehError as exc:
        if exc.http_status == 404:
            raise
        db.rollback()
        return _partial(request, "_parties_panel.html", case_id, status=exc.http_status, parties=None, form=typed,
                        editing=True, can_edit=True, error={"code": exc.code, "message": exc.message_ko}, notice=None)
    db.commit()
    audit(AuditAction.CASE_PARTIES_UPDATE, object_type="case", object_id=case_id,
          detail={"changed": changed, "children": len(parties.children), "via": "web"})
    if changed:
        parties_svc.rederive_after_parties(c.evidence, c.index, parties, case_id)
    return _partial(request, "_parties_panel.html", case_id, parties=parties.to_dict(), form=_parties_form(parties),
                    editing=False, can_edit=True, error=None, trigger="leh-parties-changed" if changed else None,
                    notice="당사자를 저장했습니다. 증거의 화자와 라벨을 다시 분석했습니다." if changed else "바뀐 내용이 없습니다.")


# ---------------------------------------------------------------------------------------------- risks
@router.get("/cases/{case_id}/risks")
def risks_panel(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep) -> Response:
    """불리한 증거: labels on the client's own acts (never cited by the draft), and the count beside the draft
    (an out-of-band swap into `#risks-note`)."""
    risks = parties_svc.get_risks(db, c.evidence, user, case_id)
    audit(AuditAction.CASE_RISKS_VIEW, object_type="case", object_id=case_id, detail={"risks": len(risks), "via": "web"})
    return _partial(request, "_risks_panel.html", case_id, risks=risks,
                    parties_known=parties_svc.load(db, case_id).known)


# ---------------------------------------------------------------------------------------------- members
def _members_ctx(db: Session, user: User, case_id: str, **extra: Any) -> dict[str, Any]:
    role, active = _role(db, user, case_id)
    members = case_svc.list_members(db, user, case_id)
    order = {r: i for i, r in enumerate(MEMBER_ROLES)}
    members.sort(key=lambda m: (order.get(m["role"], 9), m["email"]))
    return {"members": members, "can_manage": role == "owner" and active, "me": user.id, "error": None,
            "notice": None, "form": {"email": "", "role": "member"}, **extra}


def _require_owner(db: Session, user: User, case_id: str) -> None:
    role, active = _role(db, user, case_id)
    if role != "owner" or not active:
        raise Forbidden("FORBIDDEN", "구성원 관리는 진행 중인 사건의 담당 변호사만 할 수 있습니다.")


def _members_error(request: Request, db: Session, user: User, case_id: str, exc: LehError,
                   form: dict[str, str] | None = None) -> HTMLResponse:
    db.rollback()
    message = MEMBER_NOT_ADDED if exc.code == "USER_NOT_FOUND" and form else exc.message_ko
    status = 400 if exc.code == "USER_NOT_FOUND" and form else exc.http_status
    ctx = _members_ctx(db, user, case_id, error={"code": exc.code, "message": message})
    if form:
        ctx["form"] = form
    return _partial(request, "_members_panel.html", case_id, status=status, **ctx)


@router.get("/cases/{case_id}/members")
def members_panel(case_id: str, request: Request, db: DbDep, user: PageUser) -> Response:
    return _partial(request, "_members_panel.html", case_id, **_members_ctx(db, user, case_id))


@router.post("/cases/{case_id}/members")
async def member_add(case_id: str, request: Request, db: DbDep, user: PageUser, audit: AuditDep) -> Response:
    """The owner adds someone by e-mail with a case role (an existing member gets the new role)."""
    form = await request.form()
    check_csrf(request)
    _require_owner(db, user, case_id)
    email, role = str(form.get("email") or "").strip()[:320], str(form.get("role") or "member")
    try:
        if "@" not in email:
            raise ValidationFailed("INVALID_EMAIL", "구성원의 이메일 주소를 입력해주세요 (예: name@firm.kr).")
        existing = next((m for m in case_svc.list_members(db, user, case_id) if m["email"] == email.lower()), None)
        if existing and role != "owner" and _last_owner(db, user, case_id, existing["user_id"]):
            raise ValidationFailed("LAST_OWNER", _LAST_OWNER_ROLE)
        member = case_svc.add_member(db, user, case_id, email=email, role=role)
    except LehError as exc:
        return _members_error(request, db, user, case_id, exc, form={"email": email, "role": role})
    db.commit()
    audit(AuditAction.CASE_MEMBER_ADD, object_type="case", object_id=case_id,
          detail={"user_id": member.user_id, "role": member.role, "via": "web"})
    return _partial(request, "_members_panel.html", case_id,
                    **_members_ctx(db, user, case_id, notice="구성원을 추가했습니다."))


def _member_email(db: Session, user: User, case_id: str, user_id: str) -> str:
    found = next((m for m in case_svc.list_members(db, user, case_id) if m["user_id"] == user_id), None)
    if found is None:
        raise NotFound("MEMBER_NOT_FOUND", "이미 사건에서 제외된 구성원입니다. 새로고침해주세요.")
    return str(found["email"])


@router.post("/cases/{case_id}/members/{user_id}/role")
async def member_role(case_id: str, user_id: str, request: Request, db: DbDep, user: PageUser,
                      audit: AuditDep) -> Response:
    """Change a member's case role (the last owner stays an owner)."""
    form = await request.form()
    check_csrf(request)
    _require_owner(db, user, case_id)
    role = str(form.get("role") or "")
    try:
        email = _member_email(db, user, case_id, user_id)
        if role != "owner" and _last_owner(db, user, case_id, user_id):
            raise ValidationFailed("LAST_OWNER", _LAST_OWNER_ROLE)
        member = case_svc.add_member(db, user, case_id, email=email, role=role)
    except LehError as exc:
        return _members_error(request, db, user, case_id, exc)
    db.commit()
    audit(AuditAction.CASE_MEMBER_ADD, object_type="case", object_id=case_id,
          detail={"user_id": member.user_id, "role": member.role, "change": "role", "via": "web"})
    return _partial(request, "_members_panel.html", case_id,
                    **_members_ctx(db, user, case_id, notice="역할을 바꿨습니다."))


def _last_owner(db: Session, user: User, case_id: str, user_id: str) -> bool:
    owners = [m for m in case_svc.list_members(db, user, case_id) if m["role"] == "owner"]
    return len(owners) == 1 and owners[0]["user_id"] == user_id


@router.post("/cases/{case_id}/members/{user_id}/remove")
async def member_remove(case_id: str, user_id: str, request: Request, db: DbDep, user: PageUser,
                        audit: AuditDep) -> Response:
    """Remove a member from the case (never the last owner)."""
    await request.form()
    check_csrf(request)
    _require_owner(db, user, case_id)
    try:
        _member_email(db, user, case_id, user_id)
        case_svc.remove_member(db, user, case_id, user_id=user_id)
    except LehError as exc:
        return _members_error(request, db, user, case_id, exc)
    db.commit()
    audit(AuditAction.CASE_MEMBER_REMOVE, object_type="case", object_id=case_id, detail={"user_id": user_id, "via": "web"})
    if user_id == user.id:  # an owner who removed themselves (another owner remains) no longer sees the case
        return Response(status_code=200, headers={"HX-Redirect": "/cases"})
    return _partial(request, "_members_panel.html", case_id,
                    **_members_ctx(db, user, case_id, notice="구성원을 사건에서 제외했습니다."))


# ---------------------------------------------------------------------------------------------- evidence page
def evidence_context(evidence: EvidenceStore, doc: Mapping[str, Any], parties: Parties, notice: str | None,
                     error: str | None, at: str | None = None) -> dict[str, Any]:
    """What the evidence page's who-is-who parts need: the speaker rows, the duplicate's original, and the notice
    or error of the last form (codes in the URL, messages from the error table: nothing typed is echoed)."""
    smap = doc.get("speakers_map") or {}
    names = [*(doc.get("speakers") or []), *(s for s in smap if s not in (doc.get("speakers") or []))]
    keyed = voice_names(doc.get("segments") or [], parties)  # a 녹취록's key lines: "화자1" → "길도한 (원고, 남편)"
    speakers = [{"name": s, "party": smap.get(s, "unknown"), "note": keyed.get(s)} for s in names]
    duplicate = None
    if doc.get("duplicate_of"):
        original = evidence.get(str(doc["duplicate_of"]))
        found = original is not None and original.get("status") != "deleted" and original.get("case_id") == doc["case_id"]
        duplicate = {"id": doc["duplicate_of"], "found": found,
                     "filename": original.get("filename") if found and original is not None else None}
    error = error if error and re.fullmatch(r"[A-Z_]{1,40}", error) else None
    at = at if at and re.fullmatch(r"labels|speakers|seg-\d{1,7}", at) else ""
    return {"speaker_rows": speakers, "duplicate": duplicate, "speakers_confirmed": bool(doc.get("speakers_confirmed")),
            "who_notice": _NOTICES.get(notice or ""), "who_error": message_of(error) if error else None,
            "who_error_code": error or None, "who_at": at}


def _back(case_id: str, evidence_id: str, *, notice: str = "", error: str = "", anchor: str = "") -> Response:
    """The evidence page again, the message shown where the form was (`at`); a segment's page is opened (`seq`)."""
    at = anchor.lstrip("#")
    seq = at.removeprefix("seg-") if at.startswith("seg-") else ""
    query = urlencode({k: v for k, v in (("seq", seq), ("notice", notice), ("error", error), ("at", at)) if v})
    return redirect(f"/cases/{case_id}/evidence/{evidence_id}" + (f"?{query}" if query else "") + anchor)


async def _evidence_form(request: Request, db: Session, c: Any, user: User, case_id: str, evidence_id: str) -> Any:
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    doc = evidence_svc.get_evidence_for(db, c.evidence, user, evidence_id)
    if doc["case_id"] != case_id:
        raise NotFound("EVIDENCE_NOT_FOUND")
    return form


@router.post("/cases/{case_id}/evidence/{evidence_id}/speakers")
async def speakers_save(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                        audit: AuditDep) -> Response:
    """The lawyer confirms or changes who each speaker is; labels, timeline and draft follow (no re-parse)."""
    form = await _evidence_form(request, db, c, user, case_id, evidence_id)
    names = form.getlist("speaker")
    parties = form.getlist("party")
    try:
        if not names or len(names) != len(parties):
            raise ValidationFailed("INVALID_SPEAKERS_MAP")
        doc, counts = parties_svc.set_speakers(db, c.evidence, c.index, user, evidence_id,
                                               {str(n): str(p) for n, p in zip(names, parties, strict=True)})
    except LehError as exc:
        if exc.http_status in (403, 404):
            raise
        return _back(case_id, evidence_id, error=exc.code, anchor="#speakers")
    audit(AuditAction.EVIDENCE_SPEAKERS_UPDATE, object_type="evidence", object_id=evidence_id,
          detail={"case_id": doc["case_id"], "parties": counts, "via": "web"})
    return _back(case_id, evidence_id, notice="speakers", anchor="#speakers")


def parse_segments(text: str) -> list[int]:
    """'3, 5-7' → [3, 5, 6, 7] (at most 1,000 numbers)."""
    out: list[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,7})(?:[-~](\d{1,7}))?", part)
        if m is None:
            raise ValidationFailed("SEGMENT_RANGE_INVALID", _WEB_MESSAGES["SEGMENT_RANGE_INVALID"])
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        out.extend(range(min(lo, hi), max(lo, hi) + 1))
        if len(out) > 1000:
            raise ValidationFailed("SEGMENT_RANGE_INVALID", "한 번에 1,000개 구간까지 지정할 수 있습니다.")
    return out


@router.post("/cases/{case_id}/evidence/{evidence_id}/labels")
async def labels_save(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                      audit: AuditDep) -> Response:
    """Reject (op=remove) or add (op=add) one ground on segments, as the lawyer's correction."""
    form = await _evidence_form(request, db, c, user, case_id, evidence_id)
    op, ground = str(form.get("op") or ""), str(form.get("ground") or "").strip()
    anchor = str(form.get("anchor") or "labels")
    anchor = anchor if re.fullmatch(r"[a-z0-9-]{1,40}", anchor) else "labels"
    try:
        item = {"ground": ground, "segments": parse_segments(str(form.get("segments") or ""))}
        if anchor == "seg":  # a segment's 라벨 거절 button: back to that segment
            anchor = f"seg-{item['segments'][0]}" if item["segments"] else "labels"
        add, remove = ([item], []) if op == "add" else ([], [item]) if op == "remove" else ([], [])
        doc = corrections.correct_labels(db, c.evidence, c.index, user, evidence_id, add=add, remove=remove)
    except LehError as exc:
        if exc.http_status in (403, 404):
            raise
        return _back(case_id, evidence_id, error=exc.code, anchor=f"#{anchor}")
    audit(AuditAction.EVIDENCE_LABELS_CORRECT, object_type="evidence", object_id=evidence_id, detail={
        "case_id": doc["case_id"], op: [{"ground": ground, "segments": sorted(set(item["segments"]))}], "via": "web"})
    return _back(case_id, evidence_id, notice="labels", anchor=f"#{anchor}")


@router.get("/cases/{case_id}/evidence/{evidence_id}/segments/{seq}/edit")
def segment_edit(case_id: str, evidence_id: str, seq: int, request: Request, c: ContainerDep, db: DbDep,
                 user: PageUser) -> Response:
    """The in-place correction form of one OCR or speech line (owner/member; only lines an engine read)."""
    doc = evidence_svc.get_evidence_for(db, c.evidence, user, evidence_id, write=True)
    if doc["case_id"] != case_id:
        raise NotFound("EVIDENCE_NOT_FOUND")
    seg = next((s for s in doc.get("segments") or [] if int(s["seq"]) == seq), None)
    if seg is None:
        raise NotFound("SEGMENT_NOT_FOUND", "열 구간을 찾을 수 없습니다. 증거가 다시 처리되었을 수 있습니다.")
    if not corrections.correctable(doc, seg):
        raise ValidationFailed("SEGMENT_NOT_CORRECTABLE", _WEB_MESSAGES["SEGMENT_NOT_CORRECTABLE"])
    return render(request, "_seg_fix.html", case={"id": case_id}, doc=doc, s=seg)


@router.post("/cases/{case_id}/evidence/{evidence_id}/segments/{seq}")
async def segment_save(case_id: str, evidence_id: str, seq: int, request: Request, c: ContainerDep, db: DbDep,
                       user: PageUser, audit: AuditDep) -> Response:
    """Correct one OCR or speech line in place (the original stays beside it)."""
    form = await _evidence_form(request, db, c, user, case_id, evidence_id)
    try:
        doc = corrections.correct_segment(db, c.evidence, c.index, user, evidence_id, seq, str(form.get("text") or ""))
    except LehError as exc:
        if exc.http_status in (403, 404):
            raise
        return _back(case_id, evidence_id, error=exc.code, anchor=f"#seg-{seq}")
    audit(AuditAction.EVIDENCE_SEGMENT_CORRECT, object_type="evidence", object_id=evidence_id,
          detail={"case_id": doc["case_id"], "seq": seq, "via": "web"})
    return _back(case_id, evidence_id, notice="segment", anchor=f"#seg-{seq}")
