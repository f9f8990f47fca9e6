"""Use cases of 补正: a case returned for correction with everything to correct in one notice,
and the applicant's corrected form, which restarts the clock and keeps the old version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain import calendar, catalogue
from chalicelib.domain.access import Principal, acts_for_applicant
from chalicelib.domain.application import normalized
from chalicelib.domain.case import CaseStatus, ItemStatus
from chalicelib.domain.lifecycle import Trigger
from chalicelib.domain.problems import Problem
from chalicelib.domain.raw_form import identity_of
from chalicelib.errors import InvalidInput, InvalidState, NotPermitted, UploadAlreadyCited
from chalicelib.services import archive
from chalicelib.services.context import Services, iso
from chalicelib.services.decide import waiting_task
from chalicelib.services.history import event
from chalicelib.services.notify import correction_notice, deliver, due_text
from chalicelib.services.personal import seal_form
from chalicelib.services.read import case_for
from chalicelib.services.references import (
    Reference,
    attachment_references,
    citations,
    cited_elsewhere,
    keep_references,
    with_versions,
)
from chalicelib.services.transitions import deadline_of, due_fields
from chalicelib.store.records import (
    CaseBundle,
    CaseRecord,
    FormVersionRecord,
    ItemRecord,
    UploadCitationRecord,
)
from chalicelib.store.repository import CaseChange, evolve, move


def request_correction(
    svc: Services, who: Principal, department: str, task_id: str, corrections: list[dict[str, str]]
) -> ItemRecord:
    """An officer returns the item they review, listing every field to correct and why."""
    bundle, item = waiting_task(svc, who, department, task_id, ItemStatus.IN_REVIEW)
    now = svc.clock()
    at = iso(now)
    returned = move(
        item, ItemStatus.CORRECTION_REQUIRED, Trigger.RETURNED, task_status=None, updated_at=at
    )
    case = move(
        bundle.case,
        CaseStatus.CORRECTION_REQUIRED,
        Trigger.RETURNED,
        corrections=corrections,
        updated_at=at,
    )
    note = correction_notice(case, corrections, now)
    history = event(
        case.id,
        at,
        "correction_required",
        note.text,
        item=item.code,
        actor=who.actor,
        actor_id=who.subject,
    )
    svc.repo.apply(
        CaseChange(case.id, case=case, items=[returned], events=[history], created=[note])
    )
    deliver(svc, note)
    return returned


def _check_same_case(
    bundle: CaseBundle, form: dict[str, Any], persons: tuple[str, ...]
) -> list[Problem]:
    problems = []
    if catalogue.with_gate(form["items"]) != bundle.case.items:
        problems.append(
            Problem("items", "items.changed", "补正时不能更改联办事项；如需更改请撤回后重新申请")
        )
    if bundle.case.person_key not in persons:
        problems.append(Problem("applicant.id_number", "applicant.changed", "补正时不能更换申请人"))
    if form["county"] != bundle.case.county:
        problems.append(Problem("county", "county.changed", "补正时不能更改受理县区"))
    return problems


# A restarted clock leaves no breach behind, flagged or provisional (docs/domain.md §4).
CLOCK_RESTARTED: dict[str, Any] = {"breached_at": None, "provisional_breach_at": None}


def _reopened(svc: Services, item: ItemRecord, clock_start: str, at: str) -> ItemRecord:
    """An unfinished item under the restarted clock; a returned item goes back to its handler."""
    changes: dict[str, Any] = {"clock_start": clock_start, "updated_at": at, **CLOCK_RESTARTED}
    restarted = item.model_copy(update=changes)
    changes |= due_fields(deadline_of(svc, restarted))
    if item.status != ItemStatus.CORRECTION_REQUIRED:
        return evolve(item, **changes)
    if catalogue.spec(item.code).gate:  # back to verification, with a new task token
        # A Step Functions task token field cleared, not a password.
        return move(item, ItemStatus.PENDING, Trigger.RESUBMISSION, task_token=None, **changes)  # nosec
    return move(item, ItemStatus.IN_REVIEW, Trigger.RESUBMISSION, task_status="pending", **changes)


def _checked_form(
    svc: Services, who: Principal, bundle: CaseBundle, form: dict[str, Any], now: datetime
) -> tuple[dict[str, Any], list[UploadCitationRecord], list[Reference]]:
    """The corrected form as stored (attachments with the versions they cite) and the
    citations of uploads the case did not cite before; every problem at once."""
    info, _ = identity_of(form["applicant"], calendar.local_date(now))
    id_type = form["applicant"]["id_type"]
    persons = svc.person_keys(id_type, info.identity_key) if info else ()
    form = normalized(form, info) if info else form
    found, cited = attachment_references(svc.documents, who, form)
    if problems := _check_same_case(bundle, form, persons) + found:
        raise InvalidInput(problems=problems)
    earlier = {a.get("key") for a in bundle.case.form.get("attachments") or []}
    keep_references(svc.documents, cited)
    new = [r for r in cited if r.key not in earlier]
    rows = citations(bundle.case.id, new, iso(now))
    return with_versions(form, cited), rows, new


def resubmit(svc: Services, who: Principal, case_id: str, form: dict[str, Any]) -> CaseRecord:
    bundle = case_for(svc, who, case_id)
    if not acts_for_applicant(who, bundle.case.person_key, bundle.case.clerk):
        raise NotPermitted("只有申请人本人或受理该件的窗口人员可以提交补正")
    if bundle.case.status != CaseStatus.CORRECTION_REQUIRED:
        raise InvalidState("该办件当前不需要补正", code="invalid_state")
    now = svc.clock()
    at, today = iso(now), calendar.local_date(now).isoformat()
    form, cited, refs = _checked_form(svc, who, bundle, form, now)
    old = bundle.case
    gate = bundle.item(catalogue.gate().code)
    regate = gate is not None and gate.status == ItemStatus.CORRECTION_REQUIRED
    status = CaseStatus.ACCEPTED if regate else CaseStatus.IN_PROGRESS
    restarted = old.model_copy(update={"clock_start": today})
    case = move(
        restarted,
        status,
        Trigger.RESUBMISSION,
        form=seal_form(svc.cipher, case_id, form),
        form_version=old.form_version + 1,
        business={"name": form["business"]["name"], "uscc": form["business"]["uscc"]},
        corrections=[],
        updated_at=at,
        **CLOCK_RESTARTED,
        **due_fields(deadline_of(svc, restarted)),
    )
    items = [
        _reopened(svc, i, today, at)
        for i in bundle.items
        if i.finished_at is None and i.status != ItemStatus.REMINDER_SCHEDULED
    ]
    previous = FormVersionRecord(
        case_id=case_id, version=old.form_version, form=old.form, replaced_at=at
    )
    history = event(
        case_id,
        at,
        "corrected",
        f"已提交补正（第 {case.form_version} 版申请表），时限重新计算，{due_text(case)}",
        actor=who.actor,
    )
    created = [previous, *cited]
    change = CaseChange(case_id, case=case, items=items, events=[history], created=created)
    try:
        svc.repo.apply(change)
    except UploadAlreadyCited as taken:
        raise InvalidInput(problems=cited_elsewhere(refs, taken.keys)) from taken
    archive.record_change(svc, old, change)
    if regate and gate is not None and gate.task_token:
        svc.workflow.succeed(gate.task_token, {"code": gate.code, "status": "resubmitted"})
    return case
