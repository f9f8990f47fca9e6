"""Use case behind the workflow's item tasks. One handler serves every item: what differs
between items is in its catalogue entry. It is idempotent under SQS redelivery: a finished
item is never decided twice, only its stored answer is sent again.

An item whose department's system cannot be reached waits (``waiting_for_department``): its
task goes back to its queue with a growing delay (``services.waiting``) until the system
answers, or, after the configured number of attempts, the item fails to a person."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime

from chalicelib.domain import calendar, catalogue, lifecycle
from chalicelib.domain.case import FINISHED, WAITING_FOR_PERSON, ItemStatus, Outcome
from chalicelib.domain.catalogue import ItemSpec
from chalicelib.domain.person import KeyRing, operator_key
from chalicelib.errors import SubsidyAlreadyGranted
from chalicelib.integrations.departments import DepartmentRefused, DepartmentUnavailable
from chalicelib.services import archive, waiting
from chalicelib.services.changes import item_change
from chalicelib.services.context import Services
from chalicelib.services.department_calls import (
    Attempts,
    call,
    department_name,
    lookup_business,
)
from chalicelib.services.notify import accepted_notices, deliver_all
from chalicelib.services.personal import clear_form
from chalicelib.services.transitions import facts_of
from chalicelib.store.records import CaseBundle, CaseRecord, ItemRecord
from chalicelib.workflow.messages import TaskMessage

log = logging.getLogger(__name__)


def handle_item(svc: Services, message: TaskMessage) -> None:
    bundle = svc.repo.load_case(message.case_id)
    item = bundle.item(message.item) if bundle else None
    if bundle is None or item is None:
        raise LookupError(f"case {message.case_id} has no item {message.item}")
    token = message.task_token or item.task_token
    if item.status in FINISHED:
        if token:
            answer(svc, token, item.code, item.status)  # a redelivery
        return
    if item.status in WAITING_FOR_PERSON or waiting.stale(item, message):
        return  # a person acts next, or a later attempt is already under way
    spec = catalogue.spec(item.code)
    now = svc.clock()
    attempts = Attempts(bundle.case.id, item.code, now)
    try:
        outcome = _attempt(svc, bundle, item, spec, attempts)
    except DepartmentUnavailable as failure:
        waiting.wait(svc, bundle, item, spec, failure, attempts.records, token, now)
        return
    _record(svc, bundle, item, spec, outcome, attempts, token, now)


def _attempt(
    svc: Services, bundle: CaseBundle, item: ItemRecord, spec: ItemSpec, attempts: Attempts
) -> Outcome:
    if waiting.stage_of(item) == waiting.APPROVAL:
        return _approval_call(svc, bundle, item, spec, attempts)
    return _handling(svc, bundle, spec, attempts)


def _record(
    svc: Services,
    bundle: CaseBundle,
    item: ItemRecord,
    spec: ItemSpec,
    outcome: Outcome,
    attempts: Attempts,
    token: str | None,
    now: datetime,
) -> None:
    check = waiting.stage_of(item) == waiting.HANDLING
    records = attempts.records
    change = item_change(
        svc, bundle, item, spec, outcome, token, now, calls=records, check_grant=check
    )
    try:
        svc.repo.apply(change)
    except SubsidyAlreadyGranted:  # another case of the person's was granted meanwhile
        facts = facts_of(svc, bundle, calendar.local_date(now), had_subsidy=True)
        outcome = spec.rule(facts)
        change = item_change(svc, bundle, item, spec, outcome, token, now, calls=records)
        svc.repo.apply(change)
    if change.case is not None and not bundle.case.started:
        deliver_all(svc, accepted_notices(bundle.case))  # stored with the submission, sent here
    archive.record_change(svc, bundle.case, change)
    deliver_all(svc, change.created)
    if not outcome.wait_for_person and token:
        answer(svc, token, item.code, outcome.status)


def answer(svc: Services, token: str, code: str, status: str) -> None:
    svc.workflow.succeed(token, {"code": code, "status": status})


def _handling(svc: Services, bundle: CaseBundle, spec: ItemSpec, attempts: Attempts) -> Outcome:
    """The rule on the facts (the registry's record of the licence, where the item needs it);
    then, if the rule let it through, the item's department call."""
    known: dict[str, object] = {}
    if spec.needs_business:
        key_of = _operator_key_of(svc, bundle.case, attempts.now) if spec.gate else None
        try:
            known["business"] = lookup_business(svc, bundle.case, attempts, key_of)
        except DepartmentRefused as refusal:  # the registry will not say (a restricted entry)
            return _refused(spec, ItemStatus.REFUSED, refusal, {})
    outcome = spec.rule(facts_of(svc, bundle, calendar.local_date(attempts.now), **known))
    if spec.call is None or spec.call.on_approval or not outcome.succeeded:
        return outcome
    form = clear_form(svc.cipher, bundle.case)
    try:
        answered = call(svc, bundle.case, form, spec, attempts)
    except DepartmentRefused as refusal:
        return _refused(spec, ItemStatus.REFUSED, refusal, dict(outcome.result))
    detail = "申请人已持有，沿用原证照编号" if answered.get("already_held") else outcome.detail
    return dataclasses.replace(outcome, detail=detail, result={**outcome.result, **answered})


def _approval_call(
    svc: Services, bundle: CaseBundle, item: ItemRecord, spec: ItemSpec, attempts: Attempts
) -> Outcome:
    """An officer approved the item: its department's system carries the approval out."""
    review = spec.review
    assert review is not None  # noqa: S101 - only a reviewed item is approved  # nosec B101
    form = clear_form(svc.cipher, bundle.case)
    try:
        answered = call(svc, bundle.case, form, spec, attempts)
    except DepartmentRefused as refusal:
        return _refused(spec, review.refused, refusal, dict(item.result))
    detail = f"审核通过，{department_name(spec)}已办结"
    return Outcome(review.approved, detail, {**item.result, **answered})


def _refused(
    spec: ItemSpec, status: ItemStatus, refusal: DepartmentRefused, result: dict[str, object]
) -> Outcome:
    reason = refusal.reason
    fields = {"reason_code": refusal.code, "reason": reason, "refused_by": spec.department}
    return Outcome(status, f"{department_name(spec)}不予办理：{reason}", {**result, **fields})


def fail_dead_letter(svc: Services, message: TaskMessage, cause: str) -> None:
    """A message whose handler failed every delivery. The item fails to a person (its task
    waits for them: the officer retries it or decides it by hand); the final step's message
    fails its task, so the execution fails and its alarm calls someone."""
    log.error("handler gave up", extra={"case_id": message.case_id, "item": message.item})
    bundle = svc.repo.load_case(message.case_id)
    item = bundle.item(message.item) if bundle else None
    if bundle is None or item is None:
        if message.task_token:
            svc.workflow.fail(message.task_token, "ItemHandlerFailed", cause)
        return
    token = message.task_token or item.task_token
    if item.status in FINISHED:
        if token:
            answer(svc, token, item.code, item.status)
        return
    if item.status in lifecycle.TRYING:
        spec = catalogue.spec(item.code)
        kind = (item.department_call or {}).get("failure") or "handler_error"
        waiting.give_up(svc, bundle, item, spec, str(kind), svc.clock(), token=token)


def _operator_key_of(svc: Services, case: CaseRecord, now: datetime) -> Callable[[str], str]:
    """The licence check alone turns the registry's operator into a person key (only its
    function holds the secret, infra.patches): comparable with the applicant's key across a
    rotation of the secret."""
    ring = KeyRing.parse(svc.settings.person_key_secret)
    today = calendar.local_date(now)
    return lambda id_number: operator_key(ring, id_number, today, case.person_key)
