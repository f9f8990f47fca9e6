"""Use cases of 好差评: one rating per finished case; a poor one opens a call-back that the
handling department must close within a time limit (flagged by the breach job if late)."""

from __future__ import annotations

from chalicelib.domain import calendar
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.case import FINAL_CASE_STATUSES, ItemStatus
from chalicelib.domain.catalogue import LEAD_DEPARTMENT
from chalicelib.errors import InvalidState, NotFound, NotPermitted
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import alert_department
from chalicelib.services.read import case_for
from chalicelib.services.transitions import due_fields
from chalicelib.store.records import CaseBundle, CaseRecord, FollowUpRecord
from chalicelib.store.repository import CaseChange, evolve

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
POOR = 2  # this level or lower needs a reason and a call-back


def _handling_department(bundle: CaseBundle) -> str:
    """Whoever refused or failed an item answers for the rating; otherwise the lead (HRSS)."""
    unhappy = [
        i.department
        for i in bundle.items
        if i.status in (ItemStatus.REFUSED, ItemStatus.FAILED, ItemStatus.NOT_HANDLED)
    ]
    return unhappy[0] if unhappy else LEAD_DEPARTMENT


def rate(svc: Services, who: Principal, case_id: str, level: int, reason: str | None) -> CaseRecord:
    bundle = case_for(svc, who, case_id)
    if who.role is not Role.APPLICANT:
        raise NotPermitted("只有申请人可以评价")
    if bundle.case.status not in FINAL_CASE_STATUSES:
        raise InvalidState("办件办结后才能评价", code="invalid_state")
    if bundle.case.rating is not None:
        raise InvalidState("每个办件只能评价一次", code="rating.already_given")
    now = svc.clock()
    at = iso(now)
    rating = {"level": level, "label": LEVELS[level], "reason": reason or "", "at": at}
    case = evolve(bundle.case, rating=rating, updated_at=at)
    history = event(case_id, at, "rated", f"评价：{LEVELS[level]}", actor=who.actor)
    others = []
    if level <= POOR:
        department = _handling_department(bundle)
        start = calendar.local_date(now)
        due = svc.calendar.add_working_days(start, svc.settings.follow_up_working_days)
        fields = {k: v for k, v in due_fields(due).items() if k != "due_provisional"}
        others.append(
            FollowUpRecord(
                case_id=case_id,
                department=department,
                county=case.county,
                person_key=case.person_key,
                case_departments=case.departments,
                level=level,
                reason=reason or "",
                opened_at=at,
                updated_at=at,
                **fields,
            )
        )
    svc.repo.apply(CaseChange(case_id, case=case, events=[history], others=others))
    for follow_up in others:
        payload = {"application_id": case_id, "level": level, "due_date": follow_up.due_date}
        alert_department(svc, follow_up.department, follow_up.county, "poor_rating", payload)
    return case


def close_follow_up(
    svc: Services, who: Principal, department: str, case_id: str, note: str
) -> FollowUpRecord:
    if who.department != department:
        raise NotPermitted("只能处理本部门的回访", code="department.mismatch")
    follow_up = svc.repo.get_follow_up(case_id)
    if follow_up is None or follow_up.department != department or follow_up.county != who.county:
        raise NotFound("未找到该回访")
    if follow_up.status != "open":
        raise InvalidState("该回访已办结", code="invalid_state")
    at = iso(svc.clock())
    closed = evolve(
        follow_up, status="closed", note=note, closed_by=who.subject, closed_at=at, updated_at=at
    )
    history = event(
        case_id,
        at,
        "follow_up_closed",
        f"差评回访已完成：{note}",
        actor=who.actor,
        actor_id=who.subject,
    )
    svc.repo.apply(CaseChange(case_id, others=[closed], events=[history]))
    return closed


def follow_ups(svc: Services, who: Principal, department: str, status: str) -> list[FollowUpRecord]:
    if who.department != department:
        raise NotPermitted("只能查看本部门的回访", code="department.mismatch")
    return svc.repo.follow_ups(department, who.county or "", status)
