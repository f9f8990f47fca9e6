"""Use cases of 补正: a case returned for correction with everything to correct in one notice,
and the applicant's corrected form, which restarts the clock and keeps the old version."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import calendar
from chalicelib.domain.access import Principal, acts_for_applicant
from chalicelib.domain.application import identity_of, normalized
from chalicelib.domain.case import CaseStatus, ItemCode, ItemStatus, with_gate
from chalicelib.domain.problems import Problem
from chalicelib.errors import Conflict, Forbidden, StaleStateError, ValidationFailed
from chalicelib.services import archive
from chalicelib.services.context import Services, iso
from chalicelib.services.decide import waiting_task
from chalicelib.services.history import event
from chalicelib.services.notify import correction_notice, deliver
from chalicelib.services.personal import seal_form
from chalicelib.services.read import case_for
from chalicelib.services.submit import form_hash
from chalicelib.services.transitions import deadline_of, due_fields
from chalicelib.store.records import CaseBundle, CaseRecord, FormVersionRecord, ItemRecord
from chalicelib.store.repository import CaseChange, evolve


def request_correction(
    svc: Services, who: Principal, department: str, task_id: str, corrections: list[dict[str, str]]
) -> ItemRecord:
    """An officer returns the item they review, listing every field to correct and why."""
    bundle, item = waiting_task(svc, who, department, task_id, ItemStatus.IN_REVIEW)
    now = svc.clock()
    at = iso(now)
    returned = evolve(item, status=ItemStatus.CORRECTION_REQUIRED, task_status=None, updated_at=at)
    case = evolve(
        bundle.case, status=CaseStatus.CORRECTION_REQUIRED, corrections=corrections, updated_at=at
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
    try:
        svc.repo.apply(
            CaseChange(case.id, case=case, items=[returned], events=[history], created=[note])
        )
    except StaleStateError as exc:
        raise Conflict("该办件状态已变化，请刷新后重试", code="invalid_state") from exc
    deliver(svc, note)
    return returned


def _check_same_case(bundle: CaseBundle, form: dict[str, Any], person: str) -> list[Problem]:
    problems = []
    if [str(c) for c in with_gate(ItemCode(c) for c in form["items"])] != bundle.case.items:
        problems.append(
            Problem("items", "items.changed", "补正时不能更改联办事项；如需更改请撤回后重新申请")
        )
    if person != bundle.case.person_key:
        problems.append(Problem("applicant.id_number", "applicant.changed", "补正时不能更换申请人"))
    if form["county"] != bundle.case.county:
        problems.append(Problem("county", "county.changed", "补正时不能更改受理县区"))
    return problems


def _reopened(svc: Services, item: ItemRecord, clock_start: str, at: str) -> ItemRecord:
    """An unfinished item under the restarted clock; a returned item goes back to its handler."""
    changes: dict[str, Any] = {"clock_start": clock_start, "breached_at": None, "updated_at": at}
    if item.status == ItemStatus.CORRECTION_REQUIRED and item.code == ItemCode.LICENSE_VERIFICATION:
        # A Step Functions task token field cleared, not a password.
        changes |= {"status": ItemStatus.PENDING, "task_token": None}  # nosec
    elif item.status == ItemStatus.CORRECTION_REQUIRED:
        changes |= {"status": ItemStatus.IN_REVIEW, "task_status": "pending"}
    moved = item.model_copy(update=changes)
    return evolve(moved, **due_fields(deadline_of(svc, moved)))


def resubmit(svc: Services, who: Principal, case_id: str, form: dict[str, Any]) -> CaseRecord:
    bundle = case_for(svc, who, case_id)
    if not acts_for_applicant(who, bundle.case.person_key, bundle.case.clerk):
        raise Forbidden("只有申请人本人或受理该件的窗口人员可以提交补正")
    if bundle.case.status != CaseStatus.CORRECTION_REQUIRED:
        raise Conflict("该办件当前不需要补正", code="invalid_state")
    now = svc.clock()
    at, today = iso(now), calendar.local_date(now).isoformat()
    info, _ = identity_of(form["applicant"], calendar.local_date(now))
    person = svc.person_key(info.identity_key) if info else ""
    form = normalized(form, info) if info else form
    if problems := _check_same_case(bundle, form, person):
        raise ValidationFailed(problems=problems)
    old = bundle.case
    licence = bundle.item(ItemCode.LICENSE_VERIFICATION)
    relicense = licence is not None and licence.status == ItemStatus.CORRECTION_REQUIRED
    status = CaseStatus.ACCEPTED if relicense else CaseStatus.IN_PROGRESS
    restarted = old.model_copy(update={"clock_start": today})
    case = evolve(
        restarted,
        status=status,
        form=seal_form(svc.cipher, case_id, form),
        form_hash=form_hash(form),
        form_version=old.form_version + 1,
        business={"name": form["business"]["name"], "uscc": form["business"]["uscc"]},
        corrections=[],
        breached_at=None,
        updated_at=at,
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
        f"已提交补正（第 {case.form_version} 版申请表），时限重新计算，应于 {case.due_date} 前办结",
        actor=who.actor,
    )
    change = CaseChange(case_id, case=case, items=items, events=[history], created=[previous])
    try:
        svc.repo.apply(change)
    except StaleStateError as exc:
        raise Conflict("该办件状态已变化，请刷新后重试", code="invalid_state") from exc
    archive.record_change(svc, old, change)
    if relicense and licence is not None and licence.task_token:
        svc.workflow.succeed(licence.task_token, {"code": licence.code, "status": "resubmitted"})
    return case
