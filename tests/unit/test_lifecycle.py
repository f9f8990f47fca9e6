"""The case's and the items' lifecycles are tables, and nothing changes a status around them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib.domain import lifecycle
from chalicelib.domain.case import CaseStatus, ItemStatus
from chalicelib.domain.lifecycle import Trigger
from chalicelib.errors import IllegalTransition
from chalicelib.store.records import CaseRecord, ItemRecord
from chalicelib.store.repository import evolve, move

README = Path(__file__).resolve().parents[2] / "README.md"
ITEM = ItemRecord(
    case_id="c1",
    person_key="p1",
    code="taxpayer_confirmation",
    status=ItemStatus.DISPATCHED,
    department="tax",
    county="410302",
    due_date="2026-11-27",
    due_at="2026-11-27T15:59:59.999999+00:00",
    clock_start="2026-11-27",
    updated_at="2026-11-27T02:00:00.000000+00:00",
)


def test_an_allowed_step_moves_the_item_and_bumps_its_version() -> None:
    done = move(ITEM, ItemStatus.COMPLETED, Trigger.HANDLING, result={"ok": True})
    assert (done.status, done.version, done.result) == ("completed", 2, {"ok": True})


@pytest.mark.parametrize(
    ("status", "trigger"),
    [
        (ItemStatus.COMPLETED, Trigger.DECISION),  # an officer decides only what is in review
        (ItemStatus.PENDING, Trigger.HANDLING),  # nothing goes back to pending but a correction
        (ItemStatus.REMINDER_SENT, Trigger.REMINDER),  # a reminder needs a scheduled one
    ],
)
def test_a_step_the_table_does_not_list_is_refused(status: str, trigger: Trigger) -> None:
    with pytest.raises(IllegalTransition) as refused:
        move(ITEM, status, trigger)
    assert refused.value.code == "invalid_state"
    assert "dispatched" in refused.value.detail


def test_a_status_cannot_be_changed_around_the_table() -> None:
    with pytest.raises(IllegalTransition):
        evolve(ITEM, status=ItemStatus.COMPLETED)
    assert evolve(ITEM, status=ItemStatus.DISPATCHED, updated_at="x").version == 2  # unchanged


def test_a_finished_case_stays_finished() -> None:
    for final in (CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN):
        for trigger in Trigger:
            for target in CaseStatus:
                assert not lifecycle.CASE.allows(final, target, trigger)


def test_every_status_is_reachable_from_the_initial_one() -> None:
    for machine, statuses in ((lifecycle.ITEM, ItemStatus), (lifecycle.CASE, CaseStatus)):
        reached, frontier = {machine.initial}, [machine.initial]
        while frontier:
            current = frontier.pop()
            for source, target, _ in machine.transitions:
                if source == current and target not in reached:
                    reached.add(target)
                    frontier.append(target)
        assert reached == set(statuses), machine.name


def test_the_readme_shows_the_tables_as_they_are() -> None:
    text = README.read_text("utf-8")
    diagrams = re.findall(r"```mermaid\n(stateDiagram-v2\n.*?)\n```", text, flags=re.DOTALL)
    assert lifecycle.CASE.mermaid() in diagrams, "run python -m chalicelib.domain.lifecycle"
    assert lifecycle.ITEM.mermaid() in diagrams, "run python -m chalicelib.domain.lifecycle"


def test_the_case_record_moves_through_its_own_table() -> None:
    case = CaseRecord.model_construct(status=CaseStatus.ACCEPTED, version=1)
    assert move(case, CaseStatus.IN_PROGRESS, Trigger.GATE_PASSED).status == "in_progress"
    with pytest.raises(IllegalTransition):
        move(case, CaseStatus.IN_PROGRESS, Trigger.HANDLING)
