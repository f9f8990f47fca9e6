"""Use cases behind the workflow's tasks: each joint item's handler, the final step, and the
dead-letter handler. Each is idempotent under SQS redelivery: a finished item is never
decided twice, only its stored answer is sent again."""

from __future__ import annotations

import hashlib
import logging
from datetime import date

from chalicelib.domain import calendar, items
from chalicelib.domain.application import identity_of
from chalicelib.domain.case import (
    FINISHED,
    CaseStatus,
    ItemCode,
    ItemStatus,
    Outcome,
)
from chalicelib.errors import SubsidyAlreadyGranted
from chalicelib.services.context import Services
from chalicelib.services.history import event
from chalicelib.store.records import CaseBundle, CertificateRecord, ItemRecord
from chalicelib.store.repository import CaseChange, ItemChange
from chalicelib.workflow.messages import TaskMessage

log = logging.getLogger(__name__)
OPEN = (ItemStatus.PENDING, ItemStatus.DISPATCHED)


def facts_of(svc: Services, bundle: CaseBundle, today: date) -> items.Facts:
    form = bundle.case.form
    applicant = form["applicant"]
    info, _ = identity_of(applicant, today)
    birth = info.birth_date if info and info.birth_date else _date(applicant.get("birth_date"))
    return items.Facts(
        today=today,
        person_key=bundle.case.person_key,
        birth_date=birth,
        gender=applicant["gender"],
        business_name=form["business"]["name"],
        uscc=form["business"]["uscc"],
        female_retirement_age=svc.settings.female_retirement_age,
        subsidy_category=(form.get("subsidy") or {}).get("category"),
        pension_base=(form.get("pension") or {}).get("contribution_base"),
    )


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def certificate_number(case_id: str, code: str, county: str, issued_on: date) -> str:
    """Deterministic per case and item, so a redelivered message issues the same number."""
    digest = hashlib.sha256(f"{case_id}:{code}".encode()).hexdigest()[:10].upper()
    prefix = {"employment_certificate": "JY", "pension_registration": "YL"}[code]
    return f"{prefix}{county}{issued_on:%Y%m%d}{digest}"


def answer(svc: Services, token: str, item: ItemRecord) -> None:
    svc.workflow.succeed(token, {"code": item.code, "status": item.status})


def handle_item(svc: Services, message: TaskMessage) -> None:
    bundle = svc.repo.load_case(message.case_id)
    if bundle is None:
        raise LookupError(f"case {message.case_id} does not exist")
    item = next(i for i in bundle.items if i.code == message.item)
    if item.status in FINISHED:
        answer(svc, message.task_token, item)  # a redelivery: the decision stands
        return
    if item.status == ItemStatus.IN_REVIEW:
        return  # already waiting for an officer, who holds the token
    now = svc.clock()
    facts = facts_of(svc, bundle, calendar.local_date(now))
    outcome, certificates = _decide(svc, bundle, ItemCode(item.code), facts)
    change = _change(svc, bundle, item, outcome, certificates, message.task_token)
    try:
        svc.repo.apply(change)
    except SubsidyAlreadyGranted:
        outcome = items.startup_subsidy(facts, None, had_subsidy=True)
        svc.repo.apply(_change(svc, bundle, item, outcome, [], message.task_token))
    if not outcome.wait_for_person:
        svc.workflow.succeed(message.task_token, {"code": item.code, "status": outcome.status})


def _decide(
    svc: Services, bundle: CaseBundle, code: ItemCode, facts: items.Facts
) -> tuple[Outcome, list[CertificateRecord]]:
    if code is ItemCode.LICENSE_VERIFICATION:
        return items.verify_licence(facts, svc.registry.lookup(facts.uscc)), []
    if code is ItemCode.TAXPAYER_CONFIRMATION:
        return items.confirm_taxpayer(facts), []
    if code is ItemCode.PENSION_REGISTRATION:
        return items.pension_registration(facts), []
    if code is ItemCode.STARTUP_SUBSIDY:
        business = svc.registry.lookup(facts.uscc)
        return items.startup_subsidy(facts, business, had_subsidy=False), []
    number = certificate_number(bundle.case.id, code, bundle.case.county, facts.today)
    outcome = items.employment_certificate(facts, number)
    if not outcome.succeeded:
        return outcome, []
    cert = CertificateRecord(
        person_key=facts.person_key,
        number=number,
        type=code,
        issued_on=facts.today.isoformat(),
        application_id=bundle.case.id,
    )
    return outcome, [cert]


def _change(
    svc: Services,
    bundle: CaseBundle,
    item: ItemRecord,
    outcome: Outcome,
    certificates: list[CertificateRecord],
    token: str,
) -> CaseChange:
    at = svc.now_iso()
    updated = item.model_copy(
        update={
            "status": outcome.status,
            "result": dict(outcome.result),
            "updated_at": at,
            "task_token": token if outcome.wait_for_person else None,
            "task_status": "pending" if outcome.wait_for_person else None,
            "reminder_date": outcome.result.get("reminder_date")
            if outcome.status == ItemStatus.REMINDER_SCHEDULED
            else None,
        }
    )
    changes = [ItemChange(updated, OPEN)]
    events = [event(bundle.case.id, at, outcome.status, outcome.detail, item=item.code)]
    case_status = None
    if item.code == ItemCode.LICENSE_VERIFICATION and outcome.succeeded:
        # The gate opened: every other item is now dispatched to its department.
        for other in bundle.items:
            if other.code != item.code and other.status == ItemStatus.PENDING:
                changes.append(
                    ItemChange(
                        other.model_copy(
                            update={"status": ItemStatus.DISPATCHED, "updated_at": at}
                        ),
                        OPEN,
                    )
                )
        case_status = CaseStatus.IN_PROGRESS
        events.append(
            event(bundle.case.id, at, "in_progress", "营业执照核验通过，已分送各部门办理")
        )
    return CaseChange(
        case_id=bundle.case.id,
        at=at,
        items=changes,
        case_status=case_status,
        case_expected=(CaseStatus.ACCEPTED,) if case_status else (),
        events=events,
        certificates=certificates,
        # One subsidy per person, ever: the transaction also checks no grant is on record.
        subsidy_person=(
            bundle.case.person_key
            if item.code == ItemCode.STARTUP_SUBSIDY and outcome.succeeded
            else None
        ),
    )


def fail_dead_letter(svc: Services, message: TaskMessage, cause: str) -> None:
    """A message whose handler failed every delivery: fail its task so the workflow's Catch
    marks the item failed (and a person takes it over) instead of waiting forever."""
    log.error("item handler gave up", extra={"case_id": message.case_id, "item": message.item})
    svc.workflow.fail(message.task_token, "ItemHandlerFailed", cause)
