"""The lifecycles of a joint case and of its items, each written down once as a table of the
transitions allowed: from which status to which, on which event (docs/domain.md §4).

Every status a service writes on a case or item row passes ``Lifecycle.check``
(``store.repository.move``; ``evolve`` refuses to change a status), so a transition not in
these tables is refused here, with one error, whatever service attempts it. The README's
diagrams are generated from the tables (``python -m chalicelib.domain.lifecycle``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.case import CaseStatus, ItemStatus
from chalicelib.errors import IllegalTransition


class Trigger(StrEnum):
    """What moves a case or an item, and (``actor``) who is behind it."""

    SUBMISSION = "submission"  # the applicant, or the clerk at the window
    HANDLING = "handling"  # the item's handler decided, from the rule and the facts
    GATE_PASSED = "gate_passed"  # the licence was verified: the other items go out
    CASE_CLOSED = "case_closed"  # the workflow's last step: what had not finished ends
    DECISION = "decision"  # an officer approves or refuses
    RETURNED = "returned"  # an officer returns the case for correction (补正)
    RESUBMISSION = "resubmission"  # the corrected form
    REMINDER = "reminder"  # the one-year reminder job
    CLAIM = "claim"  # the applicant claims the start-up subsidy
    WITHDRAWAL = "withdrawal"  # the applicant (or the clerk who took the case)
    GIVEN_UP = "given_up"  # retries exhausted (dead-letter queue): a person takes it over
    RETRY = "retry"  # an officer (or admin) sends a failed item through its path again
    TAKEOVER = "takeover"  # an officer decides a failed item by hand


@dataclass(frozen=True)
class Lifecycle:
    name: str
    initial: str
    transitions: frozenset[tuple[str, str, Trigger]]

    def allows(self, current: str, new: str, trigger: Trigger) -> bool:
        return (current, new, trigger) in self.transitions

    def check(self, current: str, new: str, trigger: Trigger) -> None:
        if not self.allows(current, new, trigger):
            raise IllegalTransition(
                f"{self.name}状态不能由 {current} 变为 {new}（{trigger.value}）",
                code="invalid_state",
            )

    def mermaid(self) -> str:
        """The table as a Mermaid state diagram (edges sorted: stable text)."""
        lines = ["stateDiagram-v2", f"  [*] --> {self.initial}"]
        edges: dict[tuple[str, str], list[str]] = {}
        for current, new, trigger in self.transitions:
            edges.setdefault((current, new), []).append(trigger.value)
        for (current, new), triggers in sorted(edges.items()):
            lines.append(f"  {current} --> {new}: {', '.join(sorted(triggers))}")
        return "\n".join(lines)


def _table(
    *rows: tuple[Iterable[str], Iterable[str], Trigger],
) -> frozenset[tuple[str, str, Trigger]]:
    return frozenset(
        (current, new, trigger)
        for sources, targets, trigger in rows
        for current in sources
        for new in targets
    )


I = ItemStatus  # noqa: E741 - the tables read better short
C = CaseStatus
# What handling decides: the gate (handled while pending) may ask for a correction; the items
# it dispatched may wait for an officer or, the subsidy, for its anniversary. Any of them may
# wait for a department's system that is down, and what it answers then ends the wait.
_WAIT = I.WAITING_FOR_DEPARTMENT
_GATE_HANDLED = (I.COMPLETED, I.REFUSED, I.CORRECTION_REQUIRED, _WAIT)
_ITEM_HANDLED = (I.COMPLETED, I.REFUSED, I.IN_REVIEW, I.REMINDER_SCHEDULED, _WAIT)
_ANSWERED = (*_ITEM_HANDLED, I.CORRECTION_REQUIRED, I.APPROVED, I.REJECTED)
_OPEN_ITEM = (I.PENDING, I.DISPATCHED, I.IN_REVIEW, I.CORRECTION_REQUIRED, _WAIT, I.FAILED)
TRYING = (I.PENDING, I.DISPATCHED, _WAIT)  # what the system is still working on

ITEM = Lifecycle(
    "事项",
    I.PENDING,
    _table(
        ((I.PENDING,), _GATE_HANDLED, Trigger.HANDLING),
        ((I.DISPATCHED,), _ITEM_HANDLED, Trigger.HANDLING),
        ((I.PENDING,), (I.DISPATCHED,), Trigger.GATE_PASSED),
        ((_WAIT,), _ANSWERED, Trigger.HANDLING),
        ((I.PENDING, I.DISPATCHED, I.IN_REVIEW, _WAIT), (I.FAILED,), Trigger.CASE_CLOSED),
        ((I.PENDING,), (I.NOT_HANDLED,), Trigger.CASE_CLOSED),
        # An approval a department's system carries out waits for it.
        ((I.IN_REVIEW,), (I.COMPLETED, I.REFUSED, _WAIT), Trigger.DECISION),
        ((I.CLAIMED,), (I.APPROVED, I.REJECTED, _WAIT), Trigger.DECISION),
        (TRYING, (I.FAILED,), Trigger.GIVEN_UP),
        ((I.FAILED,), (I.PENDING, I.DISPATCHED, _WAIT), Trigger.RETRY),
        ((I.FAILED,), (I.COMPLETED, I.REFUSED, I.APPROVED, I.REJECTED), Trigger.TAKEOVER),
        ((I.IN_REVIEW,), (I.CORRECTION_REQUIRED,), Trigger.RETURNED),
        ((I.CORRECTION_REQUIRED,), (I.PENDING, I.IN_REVIEW), Trigger.RESUBMISSION),
        ((I.REMINDER_SCHEDULED,), (I.REMINDER_SENT,), Trigger.REMINDER),
        ((I.REMINDER_SCHEDULED, I.REMINDER_SENT), (I.CLAIMED, I.REJECTED), Trigger.CLAIM),
        (_OPEN_ITEM, (I.WITHDRAWN,), Trigger.WITHDRAWAL),
    ),
)

_RUNNING = (C.ACCEPTED, C.IN_PROGRESS)
CASE = Lifecycle(
    "办件",
    C.ACCEPTED,
    _table(
        ((C.ACCEPTED,), (C.IN_PROGRESS,), Trigger.GATE_PASSED),
        ((C.ACCEPTED,), (C.CORRECTION_REQUIRED,), Trigger.HANDLING),
        ((C.IN_PROGRESS,), (C.CORRECTION_REQUIRED,), Trigger.RETURNED),
        ((C.CORRECTION_REQUIRED,), _RUNNING, Trigger.RESUBMISSION),
        (_RUNNING, (C.COMPLETED, C.PARTIALLY_COMPLETED, C.REJECTED), Trigger.CASE_CLOSED),
        ((*_RUNNING, C.CORRECTION_REQUIRED), (C.WITHDRAWN,), Trigger.WITHDRAWAL),
    ),
)


def main() -> int:
    for machine, title in ((CASE, "The case"), (ITEM, "An item")):
        print(f"{title}:\n\n```mermaid\n{machine.mermaid()}\n```\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
