"""Which sparse indexes a row is in follows from its state alone."""

from __future__ import annotations

from chalicelib.store import codec, keys
from chalicelib.store.records import CaseRecord, FollowUpRecord, ItemRecord

BASE_ITEM = {
    "case_id": "c1",
    "person_key": "p1",
    "code": "pension_registration",
    "status": "pending",
    "department": "hrss",
    "county": "410302",
    "due_date": "2026-12-11",
    "due_at": "2026-12-11T15:59:59.999999+00:00",
    "clock_start": "2026-11-27",
    "updated_at": "2026-11-27T02:00:00+00:00",
}
BASE_CASE = {
    "id": "c1",
    "status": "accepted",
    "channel": "online",
    "county": "410302",
    "person_key": "p1",
    "items": ["license_verification"],
    "departments": ["market_regulation"],
    "accepted_at": "2026-11-27T02:00:00+00:00",
    "due_date": "2026-12-11",
    "due_at": "2026-12-11T15:59:59.999999+00:00",
    "clock_start": "2026-11-27",
    "business": {"name": "x", "uscc": "y"},
    "form": {},
    "updated_at": "2026-11-27T02:00:00+00:00",
}


def indexes(record: CaseRecord | ItemRecord | FollowUpRecord) -> set[str]:
    item = codec.encode(record)
    return {name for name in keys.INDEXES if f"{name}PK" in item}


def test_a_running_item_is_watched_for_its_deadline():
    assert indexes(ItemRecord(**BASE_ITEM)) == {keys.GSI_DUE}


def test_a_flagged_running_item_leaves_the_due_index_for_the_breach_list():
    flagged = ItemRecord(**BASE_ITEM, breached_at="2026-12-12T00:00:00+00:00")
    assert indexes(flagged) == {keys.GSI_BREACH}


def test_a_finished_item_is_in_no_job_index():
    done = ItemRecord(
        **{**BASE_ITEM, "status": "completed"}, breached_at="2026-12-12T00:00:00+00:00"
    )
    assert indexes(done) == set()


def test_an_item_in_an_officers_queue_is_also_watched():
    waiting = ItemRecord(**{**BASE_ITEM, "status": "in_review"}, task_status="pending")
    assert indexes(waiting) == {keys.GSI_QUEUE, keys.GSI_DUE}


def test_a_scheduled_reminder_is_in_the_reminder_index_only():
    subsidy = {**BASE_ITEM, "code": "startup_subsidy", "status": "reminder_scheduled"}
    assert indexes(ItemRecord(**subsidy, reminder_date="2026-10-15")) == {keys.GSI_REMIND}


def test_a_new_case_is_owned_watched_and_waiting_to_start():
    case = CaseRecord(**BASE_CASE, due_provisional=True)
    assert indexes(case) == {keys.GSI_OWNER, keys.GSI_DUE, keys.GSI_UNSTARTED, keys.GSI_PROVISIONAL}


def test_a_finished_case_keeps_only_its_owner_and_clerk_indexes():
    case = CaseRecord(**{**BASE_CASE, "status": "completed"}, clerk="clerk-1", started=True)
    assert indexes(case) == {keys.GSI_OWNER, keys.GSI_QUEUE}


def test_a_provisional_deadline_seen_passing_is_listed_apart_from_the_breaches():
    seen = "2027-01-08T01:00:00+00:00"
    item = ItemRecord(**BASE_ITEM, due_provisional=True, provisional_breach_at=seen)
    stored = codec.encode(item)
    assert indexes(item) == {keys.GSI_BREACH, keys.GSI_PROVISIONAL}  # out of the due list
    assert stored[f"{keys.GSI_BREACH}PK"] == {"S": keys.provisional_breach_pk("hrss", "410302")}
    assert stored[f"{keys.GSI_BREACH}SK"]["S"].startswith(seen)  # what the list shows


def test_a_provisional_call_back_is_recomputed_with_the_cases():
    follow_up = FollowUpRecord(
        case_id="c1",
        stage="acceptance",
        department="hrss",
        county="410302",
        level=2,
        reason="r",
        opened_at="2026-12-28T02:00:00+00:00",
        due_date="2027-01-04",
        due_at="2027-01-04T15:59:59.999999+00:00",
        due_provisional=True,
        updated_at="2026-12-28T02:00:00+00:00",
    )
    assert indexes(follow_up) == {keys.GSI_QUEUE, keys.GSI_DUE, keys.GSI_PROVISIONAL}
    assert codec.encode(follow_up)["SK"] == {"S": "FOLLOWUP#acceptance"}
    completion = follow_up.model_copy(update={"stage": "completion"})
    assert codec.encode(completion)["SK"] == {"S": keys.FOLLOW_UP_SK}  # as before stages
