"""Evidence: signed and direct upload, list, detail with a short-lived download URL, soft delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from pydantic import BaseModel, Field
from starlette.responses import Response

from leh.api.deps import (
    AuditDep,
    CurrentUser,
    DbDep,
    EvidenceDep,
    IndexDep,
    ObjectsDep,
    PageDep,
    QueueDep,
    SegmentsPageDep,
    SettingsDep,
)
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.api.schemas import PresignedUploadOut
from leh.domain.audit_actions import AuditAction
from leh.domain.documents import EvidenceDetail, EvidenceListItem, PublicEvidenceDoc
from leh.domain.errors import TooLarge
from leh.domain.paging import page_request
from leh.services import evidence as svc

router = APIRouter(tags=["evidence"], responses=ERROR_RESPONSES)


def absolute(request: Request, url: str) -> str:
    """Local signed URLs are paths on this server; S3's are absolute already."""
    return str(request.base_url).rstrip("/") + url if url.startswith("/") else url


class PresignIn(BaseModel):
    case_id: str
    filename: str = Field(min_length=1, max_length=1000)
    content_type: str = Field(default="application/octet-stream", max_length=200)
    size: int = Field(ge=0)


class CompleteIn(BaseModel):
    evidence_id: str


@router.post("/api/evidence/presigned-url", status_code=201, response_model=Envelope[PresignedUploadOut])
def presigned_url(body: PresignIn, request: Request, settings: SettingsDep, objects: ObjectsDep, evidence: EvidenceDep,
                  db: DbDep, user: CurrentUser, audit: AuditDep) -> Response:
    up = svc.create_presigned_upload(db, settings, objects, evidence, user, case_id=body.case_id, filename=body.filename,
                                     content_type=body.content_type, size=body.size)
    audit(AuditAction.EVIDENCE_PRESIGN, object_type="evidence", object_id=up.evidence_id,
          detail={"case_id": body.case_id, "size": body.size})
    return ok(request, {"evidence_id": up.evidence_id, "upload_url": absolute(request, up.upload_url), "method": up.method,
                        "headers": up.headers, "fields": up.fields, "expires_in": up.expires_in,
                        "object_key": up.object_key}, 201)


@router.post("/api/evidence/upload-complete", response_model=Envelope[PublicEvidenceDoc])
def upload_complete(body: CompleteIn, request: Request, settings: SettingsDep, objects: ObjectsDep, evidence: EvidenceDep,
                    queue: QueueDep, db: DbDep, user: CurrentUser, audit: AuditDep) -> Response:
    doc = svc.complete_upload(db, settings, objects, evidence, queue, user, body.evidence_id)
    audit(AuditAction.EVIDENCE_CREATE, object_type="evidence", object_id=doc["evidence_id"],
          detail={"case_id": doc["case_id"], "size": doc["size"], "sha256": doc["sha256"], "via": "presigned"})
    return ok(request, svc.public_doc(doc))


@router.post("/api/cases/{case_id}/evidence", status_code=201,
             response_model=Envelope[PublicEvidenceDoc | list[PublicEvidenceDoc]])
def upload(case_id: str, request: Request, settings: SettingsDep, objects: ObjectsDep, evidence: EvidenceDep, queue: QueueDep,
           db: DbDep, user: CurrentUser, audit: AuditDep,
           file: Annotated[list[UploadFile], File(description="one or more files")]) -> Response:
    out = []
    for f in file:
        if f.size is not None and f.size > settings.max_upload_bytes:
            raise TooLarge()
        doc = svc.upload_direct(db, settings, objects, evidence, queue, user, case_id=case_id, filename=f.filename or "file",
                                stream=f.file)
        db.commit()
        audit(AuditAction.EVIDENCE_CREATE, object_type="evidence", object_id=doc["evidence_id"],
              detail={"case_id": case_id, "size": doc["size"], "sha256": doc["sha256"], "via": "direct"})
        out.append(svc.public_doc(doc))
    return ok(request, out[0] if len(out) == 1 else out, 201)


@router.get("/api/cases/{case_id}/evidence", response_model=Envelope[list[EvidenceListItem]])
def list_evidence(case_id: str, request: Request, settings: SettingsDep, evidence: EvidenceDep, db: DbDep,
                  user: CurrentUser, page: PageDep,
                  type: str | None = None, label: str | None = None, status: str | None = None,
                  from_: Annotated[str | None, Query(alias="from")] = None,
                  to: str | None = None,
                  include: Annotated[str | None, Query(description="segments,labels,timeline: arrays to carry in full "
                                                                   "(segments: the first page); at most "
                                                                   f"{svc.INCLUDE_PAGE_MAX} evidence per page")] = None,
                  ) -> Response:
    """One page of projections (no segment texts); `meta.page` says where the next page starts."""
    wanted = svc.parse_include(include)
    if wanted and page.limit > svc.INCLUDE_PAGE_MAX:  # a smaller page: refused when asked for, else the default
        page = page_request(page.offset, svc.INCLUDE_PAGE_MAX if "limit" not in request.query_params else page.limit,
                            default=svc.INCLUDE_PAGE_MAX, maximum=svc.INCLUDE_PAGE_MAX)
    items, info = svc.list_evidence_page(db, evidence, user, case_id, page, type=type, label=label, status=status,
                                         date_from=from_, date_to=to, include=wanted,
                                         segments_limit=settings.segments_page_default)
    return ok(request, items, page=info)


@router.get("/api/evidence/{evidence_id}", response_model=Envelope[EvidenceDetail])
def get_evidence(evidence_id: str, request: Request, evidence: EvidenceDep, objects: ObjectsDep, db: DbDep, user: CurrentUser,
                 audit: AuditDep, page: SegmentsPageDep) -> Response:
    """The evidence with one page of segments (`offset`, `limit`); `segments_next` is the next page's offset."""
    doc, total = svc.get_evidence_page(db, evidence, user, evidence_id, page)
    audit(AuditAction.EVIDENCE_VIEW, object_type="evidence", object_id=evidence_id, detail={"case_id": doc["case_id"]})
    return ok(request, {**svc.detail_page(doc, total, page),
                        "download_url": absolute(request, svc.download_url(objects, doc))})


@router.delete("/api/evidence/{evidence_id}", response_model=Envelope[PublicEvidenceDoc])
def delete_evidence(evidence_id: str, request: Request, evidence: EvidenceDep, index: IndexDep, db: DbDep, user: CurrentUser,
                    audit: AuditDep) -> Response:
    doc = svc.delete_evidence(db, evidence, index, user, evidence_id)
    audit(AuditAction.EVIDENCE_DELETE, object_type="evidence", object_id=evidence_id, detail={"case_id": doc["case_id"]})
    return ok(request, svc.public_doc(doc))
