"""The joint items: one entry each, the single source of truth for everything that differs
between items (docs/domain.md §2).

From these entries, and nowhere else, come: the SQS handler each item gets in ``app.py``, its
queue (``workflow.queues``), its branch of the state machine (``workflow.definition``), the
item and department enums of the OpenAPI document, the IAM policy of its handler
(``infra.policies``), its function's settings in ``.chalice/config.json`` (``infra``), the
states an officer decides it in (``services.decide``), its form section and the check of the
service guide (``api.guide``).

Adding a joint item is one ``ItemSpec`` here (or ``register()`` before the app is imported),
its rule in ``domain/items.py`` and its text in ``data/guide.json``.

Importing this module stays light (``import app`` reads it): no pydantic, no AWS. A form
section's model is named by a loader, imported when the API first needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain import items as rules
from chalicelib.domain.case import SUCCESSFUL, CaseStatus, ItemCode, ItemStatus
from chalicelib.domain.person import EVERYTHING, NOTHING, PersonalField
from chalicelib.domain.specs import (
    ITEM_PORTS,
    LEAD_DEPARTMENT,
    Certificate,
    Department,
    DepartmentCall,
    DepartmentSpec,
    FormSection,
    Grant,
    ItemSpec,
    Port,
    Review,
)

__all__ = [
    "ITEM_PORTS",
    "LEAD_DEPARTMENT",
    "Certificate",
    "Department",
    "DepartmentCall",
    "DepartmentSpec",
    "FormSection",
    "Grant",
    "ItemSpec",
    "Port",
    "Review",
    "register",
]


def _pension_form() -> type[Any]:
    from chalicelib.domain.forms import PensionIn

    return PensionIn


def _subsidy_form() -> type[Any]:
    from chalicelib.domain.forms import SubsidyIn

    return SubsidyIn


_SHIPPED_DEPARTMENTS = (
    # Verifies the licence by business name and credit code: name and phone to reach the
    # applicant, not the ID number (the registry holds it) nor the account.
    DepartmentSpec(
        Department.MARKET_REGULATION,
        "市场监管部门",
        frozenset({PersonalField.NAME, PersonalField.PHONE}),
    ),
    # Confirms a taxpayer record kept under the operator's ID number: not the account.
    DepartmentSpec(
        Department.TAX,
        "税务部门",
        frozenset({PersonalField.NAME, PersonalField.ID_NUMBER, PersonalField.PHONE}),
    ),
    # Registers employment and pension insurance, pays the subsidy to the social security
    # card's account: everything.
    DepartmentSpec(Department.HRSS, "人力资源社会保障部门", EVERYTHING),
)
_SHIPPED_ITEMS = (
    ItemSpec(
        ItemCode.LICENSE_VERIFICATION,
        "经营主体营业执照信息核验",
        Department.MARKET_REGULATION,
        0,
        rules.verify_licence,
        gate=True,
        needs_business=True,
        # The verified licence itself, in 我的证照 (附件3 四（四）2): its credit code, name and
        # registration date as the registry has them.
        certificate=Certificate(
            "uscc",
            "registered_on",
            issued=False,
            type="business_licence",
            fields=(
                ("name", "business_name"),
                ("uscc", "uscc"),
                ("registered_on", "registered_on"),
            ),
        ),
    ),
    ItemSpec(
        ItemCode.TAXPAYER_CONFIRMATION,
        "纳税人信息确认",
        Department.TAX,
        0,
        rules.confirm_taxpayer,
        call=DepartmentCall("taxpayer.confirm"),
    ),
    ItemSpec(
        ItemCode.EMPLOYMENT_CERTIFICATE,
        "就业创业证申领",
        Department.HRSS,
        0,
        rules.employment_certificate,
        call=DepartmentCall("employment.register"),
        certificate=Certificate("certificate_number", "issued_on"),
    ),
    ItemSpec(
        ItemCode.PENSION_REGISTRATION,
        "无雇工个体工商户及灵活就业人员参加养老保险登记",
        Department.HRSS,
        10,
        rules.pension_registration,
        review=Review(ItemStatus.IN_REVIEW, ItemStatus.COMPLETED, ItemStatus.REFUSED),
        call=DepartmentCall("pension.register", on_approval=True),
        certificate=Certificate("registration_number", "registered_on"),
        form=FormSection("pension", "养老保险登记", _pension_form, rules.pension_section),
    ),
    ItemSpec(
        ItemCode.STARTUP_SUBSIDY,
        "创业补贴申领",
        Department.HRSS,
        0,
        rules.startup_subsidy,
        needs_business=True,
        review=Review(ItemStatus.CLAIMED, ItemStatus.APPROVED, ItemStatus.REJECTED),
        grant=Grant(rules.SUBSIDY_AMOUNT_CNY),
        call=DepartmentCall("subsidy.payment", on_approval=True),
        form=FormSection("subsidy", "创业补贴", _subsidy_form, rules.subsidy_section),
    ),
)


class CatalogueSealed(RuntimeError):
    """An item registered after the catalogue was read: what was derived would miss it."""


@dataclass
class _Registry:
    items: dict[str, ItemSpec]
    departments: dict[str, DepartmentSpec]
    sealed: bool = False


_REGISTRY = _Registry(
    {spec.code: spec for spec in _SHIPPED_ITEMS},
    {d.code: d for d in _SHIPPED_DEPARTMENTS},
)
_CODE = re.compile(r"[a-z][a-z0-9_]{2,40}")


def register(spec: ItemSpec, department: DepartmentSpec | None = None) -> None:
    """Add an item (and, if it is new, its department) before anything reads the catalogue:
    an extension module loaded ahead of the app, or a test's plugin."""
    if _REGISTRY.sealed:
        raise CatalogueSealed(f"{spec.code}: the catalogue was already read")
    if not _CODE.fullmatch(spec.code) or spec.code in _REGISTRY.items:
        raise ValueError(f"item code {spec.code!r} is malformed or taken")
    if department is not None:
        _REGISTRY.departments.setdefault(department.code, department)
    if spec.department not in _REGISTRY.departments:
        raise ValueError(f"{spec.code}: unknown department {spec.department!r}")
    if spec.gate:
        raise ValueError(f"{spec.code}: the catalogue has its gate already")
    _REGISTRY.items[spec.code] = spec


def items() -> tuple[ItemSpec, ...]:
    """Every item, in the catalogue's order (the gate first)."""
    _REGISTRY.sealed = True
    return tuple(_REGISTRY.items.values())


def codes() -> tuple[str, ...]:
    return tuple(spec.code for spec in items())


def spec(code: str) -> ItemSpec:
    """The item's entry; ``KeyError`` for a code the catalogue does not hold."""
    items()
    return _REGISTRY.items[code]


def departments() -> tuple[DepartmentSpec, ...]:
    items()
    return tuple(_REGISTRY.departments.values())


def department_codes() -> tuple[str, ...]:
    return tuple(d.code for d in departments())


def needed_by(department: str) -> frozenset[PersonalField]:
    """The personal fields the department's officers see in clear on their cases."""
    items()
    found = _REGISTRY.departments.get(department)
    return found.needs if found else NOTHING


def gate() -> ItemSpec:
    return next(s for s in items() if s.gate)


def with_gate(chosen: Iterable[str]) -> list[str]:
    """The items a case handles, in the catalogue's order: the gate always runs first,
    whether or not the applicant ticked it."""
    picked = set(chosen) | {gate().code}
    return [code for code in codes() if code in picked]


def fan_out(case_items: Iterable[str]) -> list[str]:
    """What the state machine's Map handles once the gate passed: every item but the gate."""
    gate_code = gate().code
    return [code for code in case_items if code != gate_code]


def departments_of(chosen: Iterable[str]) -> list[str]:
    return sorted({spec(code).department for code in chosen})


def case_time_limit(case_items: Iterable[str], ceiling: int) -> int:
    """The whole case's time limit in working days: its longest item's, never more than the
    ceiling. 附件5: "办理周期与选择办理事项有关，选择所有联办事项时，办理周期为10个工作日";
    附件3 二.3: "从受理到办结全过程，应在 10 个工作日内完成" (docs/domain.md §2). A case of
    instant items only (0) is due the day it is accepted."""
    longest = max((spec(code).time_limit_working_days for code in case_items), default=0)
    return min(longest, ceiling)


def form_sections() -> tuple[tuple[ItemSpec, FormSection], ...]:
    return tuple((s, s.form) for s in items() if s.form is not None)


def case_outcome(statuses: Mapping[str, ItemStatus]) -> CaseStatus:
    """The case's final status once every item has finished: rejected when the gate did not
    pass, completed when every item succeeded, else partially completed."""
    if statuses.get(gate().code) is not ItemStatus.COMPLETED:
        return CaseStatus.REJECTED
    if all(status in SUCCESSFUL for status in statuses.values()):
        return CaseStatus.COMPLETED
    return CaseStatus.PARTIALLY_COMPLETED
