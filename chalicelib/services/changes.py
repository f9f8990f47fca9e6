"""What an item's outcome changes, in one transaction: the item, the case when the item is the
gate, the other items the gate dispatches, the history, the notice, the certificate, the grant
check and the attempts at departments' systems. Shared by the handler and an officer who
decides a failed item by hand, so both change a case the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chalicelib.domain.case import CaseStatus, ItemStatus, Outcome
from chalicelib.domain.catalogue import ItemSpec
from chalicelib.domain.lifecycle import Trigger
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import correction_notice, notification
from chalicelib.services.transitions import close_item
from chalicelib.store.records import (
    CaseBundle,
    CaseRecord,
    CertificateRecord,
    ConnectorCallRecord,
    ItemRecord,
    NotificationRecord,
    Row,
)
from chalicelib.store.repository import CaseChange, evolve, move


def item_change(
    svc: Services,
    bundle: CaseBundle,
    item: ItemRecord,
    spec: ItemSpec,
    outcome: Outcome,
    token: str | None,
    now: datetime,
    calls: Sequence[ConnectorCallRecord] = (),
    trigger: Trigger = Trigger.HANDLING,
    actor: tuple[str, str | None] = ("system", None),
    check_grant: bool = False,
) -> CaseChange:
    """``check_grant``: a success must find no grant on the person's record (the handling of a
    once-per-person item; its approval later records the grant itself)."""
    at = iso(now)
    changed = [_new_state(svc, item, spec, outcome, token, now, trigger)]
    events = [
        event(
            bundle.case.id,
            at,
            outcome.status,
            outcome.detail,
            item=item.code,
            actor=actor[0],
            actor_id=actor[1],
        )
    ]
    created: list[Row] = list(calls)
    if outcome.status != ItemStatus.IN_REVIEW:
        created.append(_item_notice(bundle, item, spec, outcome, now))
    case = None
    if spec.gate:
        # The first handler of the workflow: the case has started (the sweeper lets go of it).
        case = _case_after_gate(bundle.case, outcome, at)
        if outcome.succeeded:
            changed += [
                move(other, ItemStatus.DISPATCHED, Trigger.GATE_PASSED, updated_at=at)
                for other in bundle.items
                if other.code != item.code and other.status == ItemStatus.PENDING
            ]
            events.append(
                event(bundle.case.id, at, "in_progress", "营业执照核验通过，已分送各部门办理")
            )
    grant = check_grant and spec.once_per_person and outcome.succeeded
    return CaseChange(
        case_id=bundle.case.id,
        case=case,
        items=changed,
        events=events,
        created=created,
        kept=certificates(spec, outcome, bundle.case),
        # Once per person, ever: the transaction also checks no grant is on record.
        subsidy_persons=bundle.case.person_keys if grant else (),
    )


def _new_state(
    svc: Services,
    item: ItemRecord,
    spec: ItemSpec,
    outcome: Outcome,
    token: str | None,
    now: datetime,
    trigger: Trigger,
) -> ItemRecord:
    result = dict(outcome.result)
    # Each handling's own review, or none; an officer's decision being carried out keeps the
    # one the officer decided on.
    kept = item.review if item.task_status == "decided" else None
    review = dict(outcome.review) if outcome.review else kept
    if outcome.wait_for_person:
        reviewed = spec.review is not None and outcome.status == spec.review.waits_in
        return move(
            item,
            outcome.status,
            trigger,
            task_token=token,
            task_status="pending" if reviewed else None,
            result=result,
            review=review,
            department_call=None,
            updated_at=iso(now),
        )
    reminder = outcome.remind_on.isoformat() if outcome.remind_on else None
    decided = "decided" if item.task_status in ("pending", "failed") else item.task_status
    return close_item(
        svc,
        item,
        now,
        outcome.status,
        trigger,
        reminder_date=reminder,
        result=result,
        review=review,
        department_call=None,
        task_status=decided,
    )


def certificates(spec: ItemSpec, outcome: Outcome, case: CaseRecord) -> list[CertificateRecord]:
    """The certificate a success shows in 我的证照: numbered by the department's system, or the
    verified licence. One row per person and number (the change keeps a row already there):
    a certificate the person already holds, answered again (``already_held``: the department
    returned its number, issued nothing), is never a second one."""
    scheme = spec.certificate
    result = outcome.result
    if scheme is None or not outcome.succeeded:
        return []
    number, on = result.get(scheme.number_field), result.get(scheme.date_field)
    if not number or not on:  # a licence verified by hand, without the registry's record
        return []
    extra = {name: str(result[source]) for name, source in scheme.fields if result.get(source)}
    return [
        CertificateRecord(
            person_key=case.person_key,
            number=str(number),
            type=scheme.type or spec.code,
            issued_on=str(on),
            application_id=case.id,
            **extra,
        )
    ]


def _case_after_gate(case: CaseRecord, outcome: Outcome, at: str) -> CaseRecord:
    if outcome.succeeded:
        return move(case, CaseStatus.IN_PROGRESS, Trigger.GATE_PASSED, started=True, updated_at=at)
    if outcome.status == ItemStatus.CORRECTION_REQUIRED:
        corrections = list(outcome.result["corrections"])  # type: ignore[call-overload]
        return move(
            case,
            CaseStatus.CORRECTION_REQUIRED,
            Trigger.HANDLING,
            started=True,
            updated_at=at,
            corrections=corrections,
        )
    return evolve(case, started=True, updated_at=at)


def _item_notice(
    bundle: CaseBundle, item: ItemRecord, spec: ItemSpec, outcome: Outcome, now: datetime
) -> NotificationRecord:
    if outcome.status == ItemStatus.CORRECTION_REQUIRED:
        corrections: list[dict[str, str]] = list(outcome.result["corrections"])  # type: ignore[call-overload]
        return correction_notice(bundle.case, corrections, now)
    # Keyed by status too: an item may finish a second time (the subsidy's grant).
    text = f"{spec.name}：{outcome.detail}"
    return notification(item, "item_finished", text, now, key=f"{item.code}.{outcome.status}")
