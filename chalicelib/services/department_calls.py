"""What an item asks of its department's system (docs/domain.md §2): the request built from
the case, the call through the ``Departments`` port with an idempotency key per (case, item,
operation), and a record of each attempt for the connectors' health.

Failures come back as the port's exceptions: ``DepartmentRefused`` (a business refusal, the
department's reason) and ``DepartmentUnavailable`` (no answer: the item waits, or, ``final``,
fails to a person). Every attempt, whatever its end, leaves a ``ConnectorCallRecord`` in
``Attempts.records`` for the change the attempt leads to."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from chalicelib.domain import catalogue
from chalicelib.domain.business import Business
from chalicelib.domain.catalogue import ItemSpec
from chalicelib.integrations import contract
from chalicelib.integrations.contract import Licence, Operation, Person
from chalicelib.integrations.departments import DepartmentRefused, DepartmentUnavailable
from chalicelib.services.context import Services, iso
from chalicelib.store.records import CaseRecord, ConnectorCallRecord

RECORD_TTL = timedelta(days=8)
T = TypeVar("T")


def idempotency_key(case_id: str, item: str, operation: str) -> str:
    """One per (case, item, operation): ids and codes only, never personal data."""
    return f"{case_id}.{item}.{operation}"


@dataclass
class Attempts:
    """The attempts of one handling, recorded for the change they lead to."""

    case_id: str
    item: str
    now: datetime
    records: list[ConnectorCallRecord] = field(default_factory=list)

    def run(self, connector: str, call: Callable[[], T]) -> T:
        try:
            answer = call()
        except DepartmentUnavailable as failure:
            self._record(connector, "failed", failure.kind)
            raise
        except DepartmentRefused:
            self._record(connector, "answered", None)
            raise
        self._record(connector, "answered", None)
        return answer

    def _record(self, connector: str, outcome: str, failure: str | None) -> None:
        self.records.append(
            ConnectorCallRecord(
                connector=connector,
                outcome=outcome,
                at=iso(self.now),
                case_id=self.case_id,
                item=self.item,
                failure=failure,
                attempt=uuid.uuid4().hex[:12],
                expires_at=int((self.now + RECORD_TTL).timestamp()),
            )
        )


def lookup_business(
    svc: Services, case: CaseRecord, attempts: Attempts, key_of: Callable[[str], str] | None
) -> Business | None:
    """The registry's record of the case's licence (市场监管). ``key_of`` turns the operator's
    ID number into a person key: only the gate compares the operator with the applicant."""
    op = contract.LICENCE_LOOKUP
    uscc = case.business["uscc"]
    key = idempotency_key(case.id, attempts.item, op.name)
    found = attempts.run(op.connector, lambda: svc.departments.lookup_licence(uscc, key))
    return None if found is None else _business(found, key_of)


def _business(licence: Licence, key_of: Callable[[str], str] | None) -> Business:
    return Business(
        uscc=licence.uscc,
        name=licence.name,
        operator_key=key_of(licence.operator_id_number) if key_of else "",
        registered_on=licence.registered_on,
        state=licence.state,
    )


def _person(form: Mapping[str, Any]) -> Person:
    applicant = form["applicant"]
    return Person(
        id_type=applicant["id_type"], id_number=applicant["id_number"], name=applicant["name"]
    )


def _taxpayer(case: CaseRecord, form: Mapping[str, Any], spec: ItemSpec) -> BaseModel:
    return contract.TaxpayerConfirmationIn(
        uscc=case.business["uscc"],
        business_name=case.business["name"],
        operator=_person(form),
        application_id=case.id,
    )


def _employment(case: CaseRecord, form: Mapping[str, Any], spec: ItemSpec) -> BaseModel:
    applicant = form["applicant"]
    return contract.EmploymentRegistrationIn(
        person=_person(form),
        gender=applicant["gender"],
        birth_date=applicant.get("birth_date"),
        uscc=case.business["uscc"],
        business_name=case.business["name"],
        county=case.county,
        application_id=case.id,
    )


def _pension(case: CaseRecord, form: Mapping[str, Any], spec: ItemSpec) -> BaseModel:
    return contract.PensionRegistrationIn(
        person=_person(form),
        contribution_base=form["pension"]["contribution_base"],
        uscc=case.business["uscc"],
        county=case.county,
        application_id=case.id,
    )


def _payment(case: CaseRecord, form: Mapping[str, Any], spec: ItemSpec) -> BaseModel:
    subsidy = form["subsidy"]
    assert spec.grant is not None  # noqa: S101 - only a grant pays  # nosec B101
    return contract.SubsidyPaymentIn(
        person=_person(form),
        amount=spec.grant.amount_cny,
        bank=subsidy["bank"],
        account=subsidy["account"],
        category=subsidy["category"],
        application_id=case.id,
    )


# What each operation is sent, built from the case and its form (sealed fields opened).
REQUESTS: dict[str, Callable[[CaseRecord, Mapping[str, Any], ItemSpec], BaseModel]] = {
    contract.TAXPAYER_CONFIRM.name: _taxpayer,
    contract.EMPLOYMENT_REGISTER.name: _employment,
    contract.PENSION_REGISTER.name: _pension,
    contract.SUBSIDY_PAYMENT.name: _payment,
}


def call(
    svc: Services,
    case: CaseRecord,
    form: Mapping[str, Any],
    spec: ItemSpec,
    attempts: Attempts,
) -> dict[str, Any]:
    """The item's department call (its catalogue entry's): the answer, as result fields."""
    assert spec.call is not None  # noqa: S101 - the caller checked  # nosec B101
    op: Operation = contract.operation(spec.call.operation)
    request = REQUESTS[op.name](case, form, spec)
    key = idempotency_key(case.id, spec.code, op.name)
    answer = attempts.run(op.connector, lambda: svc.departments.call(op, request, key))
    return answer.model_dump(mode="json")


def department_name(spec: ItemSpec) -> str:
    return next(d.name for d in catalogue.departments() if d.code == spec.department)
