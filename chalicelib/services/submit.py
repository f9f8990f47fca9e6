"""Use case: accept a joint application (one transaction), then start its workflow."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain import calendar, catalogue
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.application import normalized
from chalicelib.domain.case import CaseStatus, Channel, ItemStatus
from chalicelib.domain.raw_form import identity_of
from chalicelib.errors import (
    AlreadyExistsError,
    InvalidInput,
    InvalidState,
    NotPermitted,
    UploadAlreadyCited,
    WorkflowUnavailable,
)
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import accepted_notices, due_text
from chalicelib.services.personal import seal_form
from chalicelib.services.references import (
    attachment_references,
    citations,
    cited_elsewhere,
    keep_references,
    with_versions,
)
from chalicelib.services.transitions import case_time_limit, due_fields
from chalicelib.settings import RESUBMISSION_WINDOW_S
from chalicelib.store.records import CaseRecord, EventRecord, IdempotencyRecord, ItemRecord

log = logging.getLogger(__name__)
IDEMPOTENCY_TTL_S = 24 * 3600  # a client retrying later than a day sends a new key
RESUBMISSION_SCOPE = "form#"  # implicit records: scope is the person, key the form hash
CITY_COUNTY = "410300"  # the city centre's window takes cases from every county


@dataclass(frozen=True)
class Accepted:
    case_id: str
    status: str
    replayed: bool = False


def form_digest(secret: str, form: dict[str, Any]) -> str:
    """The form's digest, for idempotency and resubmission: an HMAC under a key only the API
    holds. Never a plain hash: every other field of the form is in the table, so a plain
    digest would give away the ID number and the account to brute force (docs/domain.md §10)."""
    if not secret:
        raise RuntimeError("FORM_DIGEST_SECRET is not configured")
    canonical = json.dumps(form, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def _check_submitter(who: Principal, persons: tuple[str, ...], county: str) -> None:
    if who.role is Role.APPLICANT and not set(persons) & set(who.keys):
        raise NotPermitted(
            "只能以本人身份提交申请；代他人申请请到综合受理窗口办理", code="applicant.not_self"
        )
    if who.role is Role.CLERK and who.county not in (county, CITY_COUNTY):
        raise NotPermitted("只能受理本县区的申请", code="county.mismatch")


def _build(
    svc: Services, who: Principal, form: dict[str, Any], persons: tuple[str, ...], now: datetime
) -> tuple[CaseRecord, list[ItemRecord], list[EventRecord]]:
    case_id = uuid.uuid4().hex
    accepted_on = calendar.local_date(now)
    at = iso(now)
    codes = catalogue.with_gate(form["items"])
    common: dict[str, Any] = {"county": form["county"], "person_key": persons[0], "updated_at": at}
    common["clock_start"] = accepted_on.isoformat()
    case_due = svc.calendar.add_working_days(accepted_on, case_time_limit(codes))
    case = CaseRecord(
        id=case_id,
        status=CaseStatus.ACCEPTED,
        channel=Channel.WINDOW if who.role is Role.CLERK else Channel.ONLINE,
        clerk=who.subject if who.role is Role.CLERK else None,
        items=list(codes),
        departments=catalogue.departments_of(codes),
        accepted_at=at,
        business={"name": form["business"]["name"], "uscc": form["business"]["uscc"]},
        form=seal_form(svc.cipher, case_id, form),
        person_aliases=list(persons[1:]),
        **due_fields(case_due),
        **common,
    )
    items = [
        ItemRecord(
            case_id=case_id,
            code=code,
            status=ItemStatus.PENDING,
            department=catalogue.spec(code).department,
            case_departments=case.departments,
            **due_fields(
                svc.calendar.add_working_days(
                    accepted_on, catalogue.spec(code).time_limit_working_days
                )
            ),
            **common,
        )
        for code in codes
    ]
    actor_id = who.subject if who.role is Role.CLERK else None
    events = [
        event(
            case_id, at, "submitted", "提交联办申请", actor=who.actor, actor_id=actor_id, order=0
        ),
        event(case_id, at, "accepted", f"已受理，{due_text(case)}", order=1),
    ]
    return case, items, events


def _person_of(
    svc: Services, who: Principal, form: dict[str, Any], now: datetime
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The applicant's person keys (the current version first) and the normalised form, if
    the caller may submit it."""
    info, _ = identity_of(form["applicant"], calendar.local_date(now))
    if info is None:  # the form was validated before; a failure here is a programming error
        raise ValueError("submit() needs a validated form")
    persons = svc.person_keys(form["applicant"]["id_type"], info.identity_key)
    form = normalized(form, info)
    _check_submitter(who, persons, form["county"])
    return persons, form


def submit(svc: Services, who: Principal, form: dict[str, Any], client_key: str | None) -> Accepted:
    now = svc.clock()
    persons, form = _person_of(svc, who, form, now)
    person = persons[0]
    problems, cited = attachment_references(svc.documents, who, form)
    if problems:
        raise InvalidInput(problems=problems)
    digest = form_digest(svc.settings.form_digest_secret, form)  # as sent: a retry matches
    case, items, events = _build(svc, who, with_versions(form, cited), persons, now)
    idempotency = _idempotency(who, person, case.id, digest, client_key, int(now.timestamp()))
    keep_references(svc.documents, cited)
    notes, rows = accepted_notices(case), citations(case.id, cited, iso(now))
    try:
        svc.repo.create_case(case, items, events, idempotency, notes, rows)
    except AlreadyExistsError:
        return _replay(svc, idempotency)
    except UploadAlreadyCited as taken:
        raise InvalidInput(problems=cited_elsewhere(cited, taken.keys)) from taken
    _start(svc, case.id, case.items)
    return Accepted(case.id, case.status)


def _idempotency(
    who: Principal, person: str, case_id: str, digest: str, client_key: str | None, now_s: int
) -> IdempotencyRecord:
    """The client's key, scoped to the caller; without one, the form itself, scoped to the
    person it is for, for a short window (so the same form twice is one case)."""
    if client_key is not None:
        scope, key, ttl = who.subject, client_key, IDEMPOTENCY_TTL_S
    else:
        scope, key, ttl = f"{RESUBMISSION_SCOPE}{person}", digest, RESUBMISSION_WINDOW_S
    return IdempotencyRecord(
        scope=scope,
        client_key=key,
        request_hash=digest,
        case_id=case_id,
        expires_at=now_s + ttl,
        created_at=now_s,
    )


def _replay(svc: Services, attempt: IdempotencyRecord) -> Accepted:
    earlier = svc.repo.get_idempotency(attempt.scope, attempt.client_key)
    if earlier is None or earlier.request_hash != attempt.request_hash:
        raise InvalidState("该 Idempotency-Key 已用于另一份申请", code="idempotency_key_reused")
    case = svc.repo.get_case(earlier.case_id)
    # The first request may have died between its write and its start: start again (harmless).
    _start(svc, earlier.case_id, case.items if case else [])
    return Accepted(earlier.case_id, case.status if case else CaseStatus.ACCEPTED, replayed=True)


def _start(svc: Services, case_id: str, items: list[str]) -> None:
    try:
        svc.workflow.start(case_id, catalogue.fan_out(items))
    except WorkflowUnavailable:
        # The case is stored and accepted; the restart sweeper starts it later.
        log.warning("workflow start deferred", extra={"case_id": case_id}, exc_info=True)
