"""Use cases around a running case: withdrawal (撤回) and the first responder (首问负责制)."""

from __future__ import annotations

from chalicelib.domain.access import Principal, Role, acts_for_applicant
from chalicelib.domain.case import FINAL_CASE_STATUSES, FINISHED, CaseStatus, ItemStatus
from chalicelib.domain.lifecycle import Trigger
from chalicelib.errors import InvalidState, NotPermitted
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import deliver, notification
from chalicelib.services.read import case_for
from chalicelib.services.transitions import close_case, close_item
from chalicelib.store.records import CaseRecord
from chalicelib.store.repository import CaseChange, evolve

STAFF = (Role.CLERK, Role.OFFICER)


def withdraw(svc: Services, who: Principal, case_id: str, reason: str) -> CaseRecord:
    """Before completion the applicant (or the clerk who took the case) may withdraw it:
    unfinished items end withdrawn, finished items and issued certificates stay valid."""
    bundle = case_for(svc, who, case_id)
    if not acts_for_applicant(who, bundle.case.person_key, bundle.case.clerk):
        raise NotPermitted("只有申请人本人或受理该件的窗口人员可以撤回申请")
    if bundle.case.status in FINAL_CASE_STATUSES:
        raise InvalidState("办件已办结，不能撤回", code="invalid_state")
    now = svc.clock()
    at = iso(now)
    items = [
        close_item(
            svc, i, now, ItemStatus.WITHDRAWN, Trigger.WITHDRAWAL, task_token=None, task_status=None
        )
        for i in bundle.items
        if i.status not in FINISHED
    ]
    case = close_case(svc, bundle.case, now, CaseStatus.WITHDRAWN, Trigger.WITHDRAWAL)
    note = notification(case, "case_withdrawn", f"您的联办申请已撤回：{reason}", now)
    history = event(
        case_id,
        at,
        CaseStatus.WITHDRAWN,
        f"申请撤回：{reason}",
        actor=who.actor,
        actor_id=_staff_id(who),
    )
    svc.repo.apply(CaseChange(case_id, case=case, items=items, events=[history], created=[note]))
    svc.workflow.stop(case_id, "withdrawn by the applicant")
    deliver(svc, note)
    return case


def _staff_id(who: Principal) -> str | None:
    return who.subject if who.role in STAFF else None


def take_or_hand_over(
    svc: Services, who: Principal, case_id: str, to: str | None, note: str
) -> CaseRecord:
    """The first clerk or officer to answer for a case owns it; only the owner hands it on,
    with a note. The history shows who owned it when."""
    if who.role not in STAFF:
        raise NotPermitted("只有窗口人员或部门工作人员可以承接办件")
    bundle = case_for(svc, who, case_id)
    current = bundle.case.owner
    at = iso(svc.clock())
    if current is None and to is None:
        owner, kind, detail = (
            who.subject,
            "ownership_taken",
            f"首问负责：{who.subject} 承接本件。{note}",
        )
    elif current is not None and current["id"] == who.subject and to:
        owner, kind, detail = to, "handed_over", f"{who.subject} 将本件移交 {to}：{note}"
    else:
        holder = current["id"] if current else "无"
        raise InvalidState(f"本件当前由 {holder} 负责，只有负责人可以移交", code="invalid_state")
    case = evolve(
        bundle.case, owner={"id": owner, "since": at, "role": who.role.value}, updated_at=at
    )
    history = event(case_id, at, kind, detail, actor=who.actor, actor_id=who.subject)
    svc.repo.apply(CaseChange(case_id, case=case, events=[history]))
    return case
