"""Use cases of 好差评: a rating of the acceptance and one of the completion, each once per case
(docs/domain.md §9); a poor one opens a call-back that the handling department must close
within a time limit (flagged by the breach job if late)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import calendar, rating
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.case import FINAL_CASE_STATUSES, ItemStatus
from chalicelib.domain.catalogue import LEAD_DEPARTMENT
from chalicelib.domain.problems import Problem
from chalicelib.domain.rating import POOR, RatingStage
from chalicelib.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import alert_department
from chalicelib.services.read import case_for
from chalicelib.services.transitions import due_fields
from chalicelib.store.records import CaseBundle, CaseRecord, FollowUpRecord
from chalicelib.store.repository import CaseChange, evolve


def _handling_department(bundle: CaseBundle) -> str:
    """Whoever refused or failed an item answers for the rating; otherwise the lead (HRSS)."""
    unhappy = [
        i.department
        for i in bundle.items
        if i.status in (ItemStatus.REFUSED, ItemStatus.FAILED, ItemStatus.NOT_HANDLED)
    ]
    return unhappy[0] if unhappy else LEAD_DEPARTMENT


@dataclass(frozen=True)
class Rating:
    """What the applicant says of one stage (docs/domain.md §9)."""

    level: int
    reason: str | None = None
    stage: RatingStage | None = None  # None: as stage_for() decides


def rate(svc: Services, who: Principal, case_id: str, given: Rating) -> RatingStage:
    """Rate a stage of the case, once; the stage rated."""
    bundle = case_for(svc, who, case_id)
    if who.role is not Role.APPLICANT:
        raise NotPermitted("只有申请人可以评价")
    finished = bundle.case.status in FINAL_CASE_STATUSES
    stage = rating.stage_for(given.stage, finished)
    if not rating.may_rate(stage, finished):
        raise InvalidState("办件办结后才能评价办结环节", code="invalid_state")
    name = rating.STAGE_NAMES[stage]
    if bundle.case.rating_of(stage) is not None:
        raise InvalidState(f"{name}已评价，每个环节只能评价一次", code="rating.already_given")
    now = svc.clock()
    at, label = iso(now), rating.LEVELS[given.level]
    entry = {"stage": stage.value, "level": given.level, "label": label}
    entry |= {"reason": given.reason or "", "at": at}
    case = evolve(bundle.case, ratings=[*bundle.case.ratings, entry], updated_at=at)
    history = event(case_id, at, "rated", f"{name}评价：{label}", actor=who.actor, key=stage)
    others = [_follow_up(svc, bundle, case, stage, given, now)] if given.level <= POOR else []
    svc.repo.apply(CaseChange(case_id, case=case, events=[history], others=others))
    for follow_up in others:
        payload = {"application_id": case_id, "stage": stage.value, "level": given.level}
        payload["due_date"] = follow_up.due_date
        alert_department(svc, follow_up.department, follow_up.county, "poor_rating", payload)
    return stage


def _follow_up(
    svc: Services,
    bundle: CaseBundle,
    case: CaseRecord,
    stage: RatingStage,
    given: Rating,
    now: datetime,
) -> FollowUpRecord:
    """The call-back a poor rating opens. A deadline in a year without official holiday data
    stays provisional, and is recomputed with the cases' (services.jobs)."""
    limit = svc.settings.follow_up_working_days
    due = svc.calendar.add_working_days(calendar.local_date(now), limit)
    return FollowUpRecord(
        case_id=case.id,
        stage=stage.value,
        department=_handling_department(bundle),
        county=case.county,
        person_key=case.person_key,
        case_departments=case.departments,
        level=given.level,
        reason=given.reason or "",
        opened_at=iso(now),
        updated_at=iso(now),
        time_limit_working_days=limit,
        **due_fields(due),
    )


def _open_follow_up(
    svc: Services, who: Principal, department: str, case_id: str, stage: RatingStage | None
) -> FollowUpRecord:
    """The department's call-back on the case to close: of the stage named, else the only
    one still open."""
    found = [
        f
        for f in svc.repo.follow_ups_of_case(case_id)
        if f.department == department and f.county == who.county and stage in (None, f.stage)
    ]
    if not found:
        raise NotFound("未找到该回访")
    still_open = [f for f in found if f.status == "open"]
    if not still_open:
        raise InvalidState("该回访已办结", code="invalid_state")
    if len(still_open) > 1:
        message = "该办件受理环节和办结环节均有待办回访，请用 stage 指明办结哪一个"
        raise InvalidInput(problems=[Problem("stage", "required", message)])
    return still_open[0]


def close_follow_up(
    svc: Services,
    who: Principal,
    department: str,
    case_id: str,
    note: str,
    stage: RatingStage | None = None,
) -> FollowUpRecord:
    if who.department != department:
        raise NotPermitted("只能处理本部门的回访", code="department.mismatch")
    follow_up = _open_follow_up(svc, who, department, case_id, stage)
    at = iso(svc.clock())
    closed = evolve(
        follow_up, status="closed", note=note, closed_by=who.subject, closed_at=at, updated_at=at
    )
    history = event(
        case_id,
        at,
        "follow_up_closed",
        f"{rating.STAGE_NAMES[RatingStage(follow_up.stage)]}差评回访已完成：{note}",
        actor=who.actor,
        actor_id=who.subject,
        key=follow_up.stage,
    )
    svc.repo.apply(CaseChange(case_id, others=[closed], events=[history]))
    return closed


def follow_ups(svc: Services, who: Principal, department: str, status: str) -> list[FollowUpRecord]:
    if who.department != department:
        raise NotPermitted("只能查看本部门的回访", code="department.mismatch")
    return svc.repo.follow_ups(department, who.county or "", status)
