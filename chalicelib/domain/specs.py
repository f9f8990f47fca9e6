"""The shape of a catalogue entry (``domain.catalogue``): what can differ between joint items
and between departments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalicelib.domain import items as rules
from chalicelib.domain.case import ItemStatus
from chalicelib.domain.person import NOTHING, PersonalField
from chalicelib.domain.problems import Problem

Rule = Callable[[rules.Facts], rules.Outcome]
SectionRules = Callable[[Mapping[str, Any], rules.FormContext], list[Problem]]


class Department(StrEnum):
    """The departments of the plan's five items (codes of the shipped entries)."""

    MARKET_REGULATION = "market_regulation"
    TAX = "tax"
    HRSS = "hrss"


# 牵头单位: the joint case as a whole is HRSS's to answer for (the plan, 三（一）).
LEAD_DEPARTMENT = Department.HRSS


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str  # as the guide names it
    needs: frozenset[PersonalField] = NOTHING  # what its officers see in clear, and no more


class Port(StrEnum):
    """What an item's handler reaches beyond the table and the workflow (each one AWS
    rights in ``infra.policies``)."""

    NOTIFY = "notify"  # the notifications topic
    ARCHIVE = "archive"  # the electronic archive (documents bucket)
    PERSONAL_FIELDS = "personal_fields"  # opens the sealed ID number (working age)


ITEM_PORTS = frozenset(Port)


@dataclass(frozen=True)
class Review:
    """An officer decides the item while it is in ``waits_in``; the decision moves it to
    ``approved`` or ``refused``."""

    waits_in: ItemStatus
    approved: ItemStatus
    refused: ItemStatus


@dataclass(frozen=True)
class Certificate:
    """The item's certificate in 我的证照 (附件3 四（四）2: "查询营业执照、就业创业证、灵活就业养老
    保险等信息"): its number and date, read from the item's result under these names (the
    department's answer, or the registry's record, put them there).

    ``issued``: the item's department issues it in the case (delivered by 统一出件, typed in
    by hand on a take-over); ``False``: a certificate the person already holds that the item
    verified (the business licence): shown, never delivered. ``type``: its type in 我的证照
    when that is not the item's code. ``fields``: more of its own fields, each with the result
    field it is read from (the licence's name, credit code and registration date)."""

    number_field: str
    date_field: str
    issued: bool = True
    type: str | None = None
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DepartmentCall:
    """The department's system does the item: ``operation`` of the published contract
    (``integrations.contract``), called once the rule let the item through, or, with
    ``on_approval``, once an officer approved it. Its answer completes the item; its refusal
    refuses it with the department's reason; an outage makes the item wait."""

    operation: str
    on_approval: bool = False


@dataclass(frozen=True)
class Grant:
    """Approving the item grants money a person may receive once, ever (a payment order, a
    public notice, and a record that makes a second grant impossible)."""

    amount_cny: int


@dataclass(frozen=True)
class FormSection:
    """The part of the application form that only this item needs."""

    name: str  # the form's key, e.g. "pension"
    label: str  # how a message names it, e.g. "养老保险登记"
    model: Callable[[], type[Any]]  # its pydantic model, loaded when first needed
    rules: SectionRules | None = None  # checks beyond the model's shape


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    department: str
    time_limit_working_days: int  # 0 = instant (办结 the same day)
    rule: Rule  # what the department decides, from the facts alone
    gate: bool = False  # handled first; every other item waits for it to succeed
    needs_business: bool = False  # the registry's record of the licence is a fact it needs
    review: Review | None = None
    grant: Grant | None = None
    call: DepartmentCall | None = None
    certificate: Certificate | None = None
    form: FormSection | None = None
    ports: frozenset[Port] = ITEM_PORTS

    @property
    def queue(self) -> str:
        """Its SQS queue (and, by the same name, its Lambda's event source)."""
        return "yjs-" + self.code.replace("_", "-")

    @property
    def state(self) -> str:
        """Its task state in the state machine, e.g. ``TaxpayerConfirmation``."""
        return "".join(part.capitalize() for part in self.code.split("_"))

    @property
    def placeholder(self) -> str:
        """The ``${...}`` the state machine definition names its queue's URL by."""
        return f"{self.state}QueueUrl"

    @property
    def reaches_departments(self) -> bool:
        """Its handler calls a department's system (through the province's gateway)."""
        return self.needs_business or self.call is not None

    @property
    def once_per_person(self) -> bool:
        """Succeeding is checked against, and approving records, the person's one grant."""
        return self.grant is not None
