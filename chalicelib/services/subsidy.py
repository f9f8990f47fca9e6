"""Use case: the start-up subsidy claim after the one-year reminder, and what an approval
creates (the one grant a person may ever have, the payment order, the public notice line)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import calendar, items, subsidy
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.business import Business
from chalicelib.domain.calendar import one_year_after
from chalicelib.domain.case import ItemCode, ItemStatus
from chalicelib.domain.contact import mask_name
from chalicelib.domain.identity import mask_id
from chalicelib.domain.lifecycle import Trigger
from chalicelib.domain.problems import Problem
from chalicelib.errors import (
    InvalidInput,
    InvalidState,
    NotFound,
    Unavailable,
    UploadAlreadyCited,
)
from chalicelib.integrations.departments import DepartmentRefused, DepartmentUnavailable
from chalicelib.services.context import Services, iso
from chalicelib.services.department_calls import Attempts, lookup_business
from chalicelib.services.history import event
from chalicelib.services.personal import PAYMENT_ACCOUNT, clear_form
from chalicelib.services.read import case_for
from chalicelib.services.references import (
    Reference,
    citations,
    cited_elsewhere,
    inspect_references,
    keep_references,
)
from chalicelib.services.subsidy_review import CATEGORY_EVIDENCE, claim_review
from chalicelib.services.transitions import facts_of
from chalicelib.store.records import (
    CaseBundle,
    EventRecord,
    ItemRecord,
    NoticeRecord,
    PaymentRecord,
    Row,
    SubsidyGrantRecord,
)
from chalicelib.store.repository import CaseChange, move

CLAIMABLE = (ItemStatus.REMINDER_SCHEDULED, ItemStatus.REMINDER_SENT)
# What a claim's materials may be: the category's proof among them (docs/domain.md §6).
CLAIM_PURPOSES = frozenset({"claim_material", CATEGORY_EVIDENCE, "other"})


def _registered(svc: Services, bundle: CaseBundle, now: datetime) -> Business | None:
    """The registry's record of the licence now (市场监管), asked at the claim."""
    attempts = Attempts(bundle.case.id, ItemCode.STARTUP_SUBSIDY, now)
    try:
        return lookup_business(svc, bundle.case, attempts, key_of=None)
    except (DepartmentUnavailable, DepartmentRefused) as exc:
        raise Unavailable("市场监管部门系统暂时无法查询营业执照，请稍后重试") from exc


def _refusal(
    svc: Services, bundle: CaseBundle, business: Business | None, facts: items.Facts
) -> tuple[str, str] | None:
    """Why the claim cannot be granted at all, checked at claim time against the registry's
    record now (docs/domain.md §6): the plan's conditions at the registration date (working
    age there, not at the claim), then the one grant a person may have."""
    if business is None or not business.active:
        return "licence.not_active", "营业执照已注销或无法查询，不符合“正常经营”条件"
    found = subsidy.refusal(items.subsidy_applicant(facts), business.registered_on)
    if found is not None:
        return found
    if any(svc.repo.subsidy_grant(k) is not None for k in bundle.case.person_keys):
        return "subsidy.already_granted", "一次性开业补贴每人只能享受一次"
    return None


def _too_early(business: Business | None, now: datetime) -> str | None:
    if business is None:
        return None
    eligible_on = one_year_after(business.registered_on)
    return eligible_on.isoformat() if calendar.local_date(now) < eligible_on else None


def claim(
    svc: Services, who: Principal, case_id: str, materials: list[str], account_confirmed: bool
) -> ItemRecord:
    if not account_confirmed:
        raise InvalidInput(
            problems=[
                Problem("account_confirmed", "required", "请确认补贴发放的社会保障卡金融账户")
            ]
        )
    purposes = [CLAIM_PURPOSES] * len(materials)
    problems, cited = inspect_references(svc.documents, who, materials, "materials", purposes)
    if problems:
        raise InvalidInput(problems=problems)
    bundle = case_for(svc, who, case_id)
    item = bundle.item(ItemCode.STARTUP_SUBSIDY)
    if who.role is not Role.APPLICANT or item is None:
        raise NotFound("该办件没有可申领的创业补贴")
    if item.status not in CLAIMABLE:
        raise InvalidState("创业补贴当前不能申领（已申领或未通过资格检查）", code="invalid_state")
    now = svc.clock()
    business = _registered(svc, bundle, now)
    if (eligible_on := _too_early(business, now)) is not None:
        raise InvalidState(
            f"个体工商户自登记之日起正常经营满一年（{eligible_on}）后方可申领",
            code="subsidy.too_early",
        )
    new, history, created = _claimed(svc, who, bundle, item, business, materials, cited, now)
    keep_references(svc.documents, cited)
    rows = [*citations(case_id, cited, iso(now)), *created]
    try:
        svc.repo.apply(CaseChange(case_id, items=[new], events=[history], created=rows))
    except UploadAlreadyCited as taken:
        raise InvalidInput(problems=cited_elsewhere(cited, taken.keys)) from taken
    return new


def _claimed(
    svc: Services,
    who: Principal,
    bundle: CaseBundle,
    item: ItemRecord,
    business: Business | None,
    materials: list[str],
    cited: list[Reference],
    now: datetime,
) -> tuple[ItemRecord, EventRecord, list[Row]]:
    """The claim waiting for the officer, with its review and its match rows; or rejected at
    once by a condition the system can check."""
    at = iso(now)
    versions = [r.as_record() for r in cited]  # the exact versions claimed with, kept
    claim_record = {"materials": materials, "versions": versions, "claimed_at": at}
    facts = facts_of(svc, bundle, calendar.local_date(now))
    refusal = _refusal(svc, bundle, business, facts)
    if refusal is not None:
        code, reason = refusal
        result = {**item.result, "claim": claim_record, "reason_code": code, "reason": reason}
        new = move(
            item, ItemStatus.REJECTED, Trigger.CLAIM, updated_at=at, finished_at=at, result=result
        )
        detail = f"申领不予受理：{reason}"
        return new, event(bundle.case.id, at, ItemStatus.REJECTED, detail, item=item.code), []
    review, matches = claim_review(svc, bundle.case, facts, cited, at)
    new = move(
        item,
        ItemStatus.CLAIMED,
        Trigger.CLAIM,
        task_status="pending",
        updated_at=at,
        result={**item.result, "claim": claim_record},
        review=review,
    )
    detail = "已提交创业补贴申领，等待人社部门审核"
    history = event(bundle.case.id, at, ItemStatus.CLAIMED, detail, item=item.code, actor=who.actor)
    return new, history, list(matches)


def approval_records(
    svc: Services, bundle: CaseBundle, item: ItemRecord, now: datetime, amount: int
) -> tuple[dict[str, object], list[Row]]:
    """The grant (its key allows one per person, ever), the payment order with the full
    account (sealed, the only place it is kept whole besides the form) and the masked notice
    line."""
    form, at = clear_form(svc.cipher, bundle.case), iso(now)
    # One grant row per key the case knows the person by (their key under each version of
    # the secret, during a rotation): a case written under either version finds it.
    grants = [
        SubsidyGrantRecord(
            person_key=key, application_id=bundle.case.id, approved_at=at, amount=amount
        )
        for key in bundle.case.person_keys
    ]
    payment = PaymentRecord(
        application_id=bundle.case.id,
        amount=amount,
        bank=form["subsidy"]["bank"],
        account=svc.cipher.seal(form["subsidy"]["account"], bundle.case.id, PAYMENT_ACCOUNT),
        created_at=at,
    )
    notice = NoticeRecord(
        application_id=bundle.case.id,
        approved_on=calendar.local_date(now).isoformat(),
        name=mask_name(form["applicant"]["name"]),
        id_number=mask_id(form["applicant"]["id_number"].upper()),
        business_name=bundle.case.business["name"],
        amount=amount,
        county=bundle.case.county,
    )
    account = form["subsidy"]["account"]
    result = {"amount": amount, "paid_to": f"****{account[-4:]}", "approved_at": at}
    return result, [*grants, payment, notice]
