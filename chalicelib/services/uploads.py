"""Uploads (ID photo, ID document images, claim materials) and the case's electronic archive.

An upload's key is bound to its owner: ``uploads/{owner}/{purpose}/{token}.{ext}``, where the
owner is the caller's subject (for applicants the keyed person hash, never an ID number). A
case may only reference keys under its caller's own prefix, and only ones that exist.

The archive (docs/domain.md §10) is write-once per key: the form as submitted (one key per form
version, so a correction is a new version), every certificate and every decision.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Principal
from chalicelib.domain.problems import Problem
from chalicelib.errors import InvalidInput
from chalicelib.integrations.storage import ArchivedObject, DocumentStore
from chalicelib.store.records import CaseBundle

# category_evidence: proof of the subsidy's person category, cited by the claim for the
# officer to examine (domain.subsidy.CATEGORY_EVIDENCE).
PURPOSES = (
    "id_photo",
    "id_document",
    "authorisation",
    "signed_form",
    "claim_material",
    "category_evidence",
    "other",
)
CONTENT_TYPES: Mapping[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_TTL = timedelta(minutes=15)
UPLOADS = "uploads"
ARCHIVE = "archive"
ARCHIVE_CONTENT_TYPE = "application/json"
_TAIL = re.compile(r"(?P<purpose>[a-z_]+)/[0-9a-f]{32}\.(?:jpg|png|pdf)")


@dataclass(frozen=True)
class PresignedUpload:
    key: str
    url: str
    fields: dict[str, str]
    expires_at: datetime


def _segment(value: str) -> str:
    """One path segment: a ``/`` in a staff id or record number must not open another's
    prefix, so anything beyond letters, digits and ``-_.~`` is percent-encoded."""
    return quote(value, safe="")


def owner_of(who: Principal) -> str:
    return _segment(who.subject)


def upload_prefix(who: Principal) -> str:
    return f"{UPLOADS}/{owner_of(who)}/"


def owner_prefix(who: Principal, key: str) -> str:
    """The caller's prefix the key is under: during a person-key rotation an applicant's
    uploads made before it sit under their older key."""
    prefixes = [f"{UPLOADS}/{_segment(k)}/" for k in who.keys]
    return next((p for p in prefixes if key.startswith(p)), prefixes[0])


def upload_key(who: Principal, purpose: str, content_type: str, token: str) -> str:
    return f"{upload_prefix(who)}{purpose}/{token}.{CONTENT_TYPES[content_type]}"


def purpose_of(key: str) -> str | None:
    """The purpose a well-formed upload key was issued for (``None`` for anything else)."""
    parts = key.split("/", 2)
    if len(parts) != 3 or parts[0] != UPLOADS:
        return None
    match = _TAIL.fullmatch(parts[2])
    return match["purpose"] if match and match["purpose"] in PURPOSES else None


def upload_problems(purpose: object, content_type: object, size: object) -> list[Problem]:
    """Every problem with a requested upload at once (values may be raw JSON)."""
    problems = []
    if isinstance(purpose, str) and purpose not in PURPOSES:
        msg = (
            "材料用途应为：证件照片、身份证件图像、授权委托书、签字确认的申请表、"
            "补贴申领材料、创业补贴人员类别证明材料或其他材料之一"
        )
        problems.append(Problem("purpose", "upload.purpose_unknown", msg))
    if isinstance(content_type, str) and content_type.lower() not in CONTENT_TYPES:
        msg = "仅支持 JPEG、PNG 图片或 PDF 文件"
        problems.append(Problem("content_type", "upload.type_not_allowed", msg))
    if isinstance(size, int) and not isinstance(size, bool):
        if size < 1:
            problems.append(Problem("size", "upload.empty", "文件不能为空"))
        elif size > MAX_UPLOAD_BYTES:
            problems.append(Problem("size", "upload.too_large", "单个文件不能超过 5 MB"))
    return problems


def new_upload(
    store: DocumentStore,
    who: Principal,
    purpose: str,
    content_type: str,
    size: int,
    now: datetime,
    new_token: Callable[[], str] = lambda: uuid.uuid4().hex,
) -> PresignedUpload:
    if problems := upload_problems(purpose, content_type, size):
        raise InvalidInput(problems=problems)
    content_type = content_type.lower()
    key = upload_key(who, purpose, content_type, new_token())
    expires_s = int(UPLOAD_TTL.total_seconds())
    url, fields = store.presign_upload(key, content_type, MAX_UPLOAD_BYTES, expires_s)
    return PresignedUpload(key, url, fields, now + UPLOAD_TTL)


def where(field: str, index: int) -> str:
    return field.format(i=index) if "{i}" in field else f"{field}.{index}"


def _record(value: Mapping[str, Any]) -> bytes:
    # Canonical JSON: the same record always has the same bytes, so its digest compares.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def archive_prefix(case_id: str) -> str:
    return f"{ARCHIVE}/{_segment(case_id)}/"


def form_key(case_id: str, version: int) -> str:
    return f"{archive_prefix(case_id)}form/v{version}.json"


def certificate_key(case_id: str, number: str) -> str:
    return f"{archive_prefix(case_id)}certificates/{_segment(number)}.json"


def decision_key(case_id: str, item: str, status: str) -> str:
    return f"{archive_prefix(case_id)}decisions/{_segment(item)}-{_segment(status)}.json"


def archive_form(store: DocumentStore, case_id: str, version: int, form: Mapping[str, Any]) -> str:
    return store.archive(form_key(case_id, version), _record(form), ARCHIVE_CONTENT_TYPE)


def archive_certificate(
    store: DocumentStore, case_id: str, number: str, record: Mapping[str, Any]
) -> str:
    return store.archive(certificate_key(case_id, number), _record(record), ARCHIVE_CONTENT_TYPE)


def archive_decision(
    store: DocumentStore, case_id: str, item: str, status: str, record: Mapping[str, Any]
) -> str:
    key = decision_key(case_id, item, status)
    return store.archive(key, _record(record), ARCHIVE_CONTENT_TYPE)


def referenced_uploads(bundle: CaseBundle) -> list[str]:
    """Upload keys the case refers to: the form's attachments, then claim materials."""
    attachments = bundle.case.form.get("attachments") or []
    keys = [a.get("key") for a in attachments if isinstance(a, dict)]
    for item in bundle.items:
        claim = item.result.get("claim")
        if isinstance(claim, dict):
            keys += list(claim.get("materials") or [])
    return list(dict.fromkeys(k for k in keys if isinstance(k, str) and k))


def list_archive(
    store: DocumentStore, case_id: str, upload_keys: Iterable[str]
) -> list[ArchivedObject]:
    """The case's archive records, then every version of each upload it references."""
    entries = store.list(archive_prefix(case_id))
    for key in dict.fromkeys(upload_keys):
        if key.startswith(f"{UPLOADS}/"):
            entries += [o for o in store.list(key) if o.key == key]  # a prefix, not a match
    return entries
