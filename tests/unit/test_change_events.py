"""Which history entries become change events, of which type, in whose feeds."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.api.events import TYPE_TEXT
from chalicelib.domain.case import CaseStatus, ItemCode, ItemStatus
from chalicelib.domain.events import CASE_KINDS, EventType, event_type
from chalicelib.services.history import event
from chalicelib.store import keys
from chalicelib.store.feed import audience_of, feed_rows
from chalicelib.store.records import CaseRecord, ItemRecord

SERVICES = Path(__file__).resolve().parents[2] / "chalicelib" / "services"
AT = "2026-11-27T02:00:00.000000+00:00"


def _case(**changes: object) -> CaseRecord:
    fields: dict[str, object] = {
        "id": "c" * 32,
        "status": "accepted",
        "channel": "online",
        "county": "410302",
        "person_key": "pk1",
        "items": ["license_verification", "taxpayer_confirmation", "pension_registration"],
        "departments": ["hrss", "market_regulation", "tax"],
        "accepted_at": AT,
        "due_date": "2026-12-11",
        "due_at": AT,
        "clock_start": "2026-11-27",
        "business": {},
        "form": {},
        "updated_at": AT,
    }
    return CaseRecord.model_validate(fields | changes)


def _item(**changes: object) -> ItemRecord:
    fields: dict[str, object] = {
        "case_id": "c" * 32,
        "person_key": "pk1",
        "code": "pension_registration",
        "status": "completed",
        "department": "hrss",
        "county": "410302",
        "due_date": "2026-12-11",
        "due_at": AT,
        "clock_start": "2026-11-27",
        "updated_at": AT,
    }
    return ItemRecord.model_validate(fields | changes)


def test_every_case_level_kind_the_services_write_is_classified():
    source = "\n".join(p.read_text("utf-8") for p in SERVICES.glob("*.py"))
    literal = set(re.findall(r'\bevent\(\s*[\w.()]+,\s*[\w()]+,\s*"([a-z_]+)"', source))
    assert "deadline_breached" in literal, "the pattern no longer finds the services' history kinds"
    written = literal | {s.value for s in CaseStatus} | {"ownership_taken", "handed_over"}
    assert written - set(CASE_KINDS) == set()


def test_item_kinds_are_status_changes_unless_they_have_a_type_of_their_own():
    assert event_type(ItemStatus.IN_REVIEW, ItemCode.PENSION_REGISTRATION) == (
        EventType.ITEM_STATUS_CHANGED
    )
    assert event_type("reminder_sent", "startup_subsidy") == EventType.SUBSIDY_REMINDED
    assert event_type("deadline_breached", "follow_up") == EventType.FOLLOW_UP_BREACHED
    assert event_type("deadline_breached", None) == EventType.DEADLINE_BREACHED
    assert event_type("submitted", None) is None
    assert event_type("something_new", None) is None


def test_every_type_is_described_in_the_spec():
    assert set(TYPE_TEXT) == set(EventType)
    assert all(text.startswith(t.value + " ") for t, text in TYPE_TEXT.items())


def test_an_event_gets_one_row_per_audience_and_the_submission_none():
    case = _case()
    entries = [
        event(case.id, AT, "submitted", "提交联办申请", order=0),
        event(case.id, AT, "accepted", "已受理", order=1),
    ]
    rows = feed_rows([case], entries, AT)
    assert sorted(r.feed for r in rows) == sorted(
        [
            keys.FEED_ALL_PK,
            keys.feed_person_pk("pk1"),
            keys.feed_county_pk("410302"),
            keys.feed_department_pk("hrss", "410302"),
            keys.feed_department_pk("market_regulation", "410302"),
            keys.feed_department_pk("tax", "410302"),
        ]
    )
    assert {(r.type, r.status, r.item) for r in rows} == {("case.accepted", "accepted", None)}
    assert len({r.id for r in rows}) == 1


def test_an_item_only_change_reaches_every_department_of_the_case():
    item = _item(case_departments=["hrss", "market_regulation", "tax"])
    audience = audience_of([item])
    assert audience is not None and audience.departments == ("hrss", "market_regulation", "tax")
    older = audience_of([_item()])  # a row written before items carried the case's departments
    assert older is not None and older.departments == ("hrss",)
    entry = event(item.case_id, AT, ItemStatus.COMPLETED, "审核通过", item=item.code)
    (row, *_) = feed_rows([item], [entry], AT)
    assert (row.type, row.item, row.status) == ("item.status_changed", item.code, "completed")
