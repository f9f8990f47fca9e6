"""Stored rows as pydantic models: what the table holds, validated on the way in and out.

Case and item rows carry a ``version``: every change is conditional on the version it read
(optimistic locking), so two writers never both win. Which sparse indexes a row is in is
derived from its state (``store.codec``), never set by hand."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class Versioned(Row):
    """A row changed in place: every write is conditional on the version it replaces."""

    version: int = 1


class CaseRecord(Versioned):
    id: str
    status: str
    channel: str
    county: str
    person_key: str
    # The same person's keys under the older versions of the person-key secret, during a
    # rotation (domain.person.KeyRing): what a once-per-person rule checks besides person_key.
    person_aliases: list[str] = Field(default_factory=list)
    clerk: str | None = None
    items: list[str]
    departments: list[str]
    accepted_at: str  # UTC ISO-8601
    due_date: str  # Asia/Shanghai date
    due_at: str  # UTC instant: end of the due working day
    due_provisional: bool = False
    clock_start: str  # local date the time limit counts from (acceptance, or a correction)
    business: dict[str, str]
    form: dict[str, Any]  # as submitted (archive of record); ID and account sealed
    updated_at: str
    started: bool = False  # the workflow's first handler ran
    breached_at: str | None = None
    finished_at: str | None = None
    working_days_late: int | None = None
    form_version: int = 1
    corrections: list[dict[str, str]] = Field(default_factory=list)  # what to correct, if asked
    rating: dict[str, Any] | None = None  # written before ratings had stages: the completion's
    # 好差评, oldest first, at most one per stage (domain.rating): stage, level, label, reason, at.
    ratings: list[dict[str, Any]] = Field(default_factory=list)
    owner: dict[str, str] | None = None  # 首问负责: who answers for the case now
    # When the breach job saw a provisional deadline pass (a guess, not a breach: see
    # services.jobs.flag_breaches); cleared when the deadline is recomputed or restarts.
    provisional_breach_at: str | None = None

    def rating_of(self, stage: str) -> dict[str, Any] | None:
        """The rating given for a stage, if any (a case rated before ratings had stages was
        rated once, after its end: that is its completion's)."""
        found = next((r for r in self.ratings if r.get("stage") == stage), None)
        return self.rating if found is None and stage == "completion" else found

    @property
    def person_keys(self) -> tuple[str, ...]:
        """The applicant's keys under every version of the secret the case knows."""
        return (self.person_key, *self.person_aliases)


class ItemRecord(Versioned):
    case_id: str
    person_key: str  # whose case: lets jobs notify without reading the case row
    code: str
    status: str
    department: str
    county: str
    due_date: str
    due_at: str
    due_provisional: bool = False
    clock_start: str
    result: dict[str, Any] = Field(default_factory=dict)
    task_token: str | None = None
    task_status: str | None = None  # set while the item sits in a department's queue
    reminder_date: str | None = None
    breached_at: str | None = None
    finished_at: str | None = None
    working_days_late: int | None = None
    working_days_taken: int | None = None
    updated_at: str
    case_departments: list[str] = Field(default_factory=list)  # who else sees its events
    provisional_breach_at: str | None = None  # as on the case row
    # While its department's system is being called: the operation, which stage (handling or
    # approval), how many attempts failed, the last failure's class (never personal data).
    department_call: dict[str, Any] | None = None
    # What the deciding officer is told (domain.review): flags and conditions, no personal data.
    review: dict[str, Any] | None = None


class EventRecord(Row):
    case_id: str
    at: str
    seq: str
    type: str
    actor: str  # applicant | clerk | officer | system | admin
    actor_id: str | None = None
    item: str | None = None
    detail: str = ""


class FeedRecord(Row):
    """A history entry as one audience's change feed shows it: ids, type and status only,
    never the entry's free text (it may name people). One row per audience, written in the
    same transaction as the entry, never changed afterwards."""

    feed: str  # the audience's partition (store.keys.feed_*_pk)
    recorded_at: str  # UTC instant the transaction was sent: the feed's order
    case_id: str
    seq: str  # the history entry's own sequence within its instant
    id: str
    type: str
    occurred_at: str
    item: str | None = None
    status: str | None = None


class FormVersionRecord(Row):
    """A superseded version of the application form: corrections never overwrite."""

    case_id: str
    version: int
    form: dict[str, Any]
    replaced_at: str


class FollowUpRecord(Versioned):
    """A poor rating's call-back, owed by the handling department within a time limit: one
    per rated stage of a case."""

    case_id: str
    stage: str = "completion"  # the rated stage (domain.rating); rows from before: completion
    department: str
    county: str
    level: int
    reason: str
    status: str = "open"  # open | closed
    opened_at: str
    due_date: str
    due_at: str
    due_provisional: bool = False  # as on a case: recomputed once the year's data exists
    time_limit_working_days: int | None = None  # granted at opening (None: the setting's)
    breached_at: str | None = None
    provisional_breach_at: str | None = None  # as on the case row
    note: str | None = None
    closed_by: str | None = None
    closed_at: str | None = None
    updated_at: str
    person_key: str | None = None  # whose case: the change feeds' audience
    case_departments: list[str] = Field(default_factory=list)


class DeliveryRecord(Versioned):
    """统一出件: how the certificates reach the applicant."""

    case_id: str
    method: str  # mail | pickup
    status: str  # awaiting_dispatch | dispatched | ready_for_pickup | handed_over
    certificates: list[str]
    county: str
    address: str | None = None
    recipient: str | None = None
    phone: str | None = None
    service_center: str | None = None
    pickup_code: str | None = None
    pickup_attempts: int = 0  # wrong codes since this one was issued (services.delivery)
    courier: str | None = None
    tracking_number: str | None = None
    dispatched_by: str | None = None
    handed_over_by: str | None = None
    created_at: str
    updated_at: str
    person_key: str | None = None  # whose case: the change feeds' audience
    case_departments: list[str] = Field(default_factory=list)


class CertificateRecord(Row):
    """One certificate of a person (我的证照), keyed by its number: the case that first
    issued or showed it. A business licence also has its name, credit code and registration
    date (``domain.specs.Certificate.fields``)."""

    person_key: str
    number: str
    type: str
    issued_on: str
    application_id: str
    name: str | None = None
    uscc: str | None = None
    registered_on: str | None = None


class SmsStatus(Row):
    """A notification's SMS (chalicelib.services.sms): where it stands and why."""

    state: str  # domain.sms.SmsState
    at: str  # UTC instant the state was set
    reason: str | None = None  # domain.sms_notices.REASONS
    template: str | None = None
    serial: str | None = None  # the provider's id of the sent SMS (its receipts name it)
    provider_code: str | None = None  # the provider's error code, when it refused
    attempts: int = 0  # calls to the provider so far
    claimed_at: str | None = None  # while sending: when the sender claimed it
    held_until: str | None = None


class NotificationRecord(Row):
    person_key: str
    id: str
    type: str
    application_id: str
    at: str
    text: str
    read: bool = False
    item: str | None = None  # the item it is about, if one
    sms: SmsStatus | None = None  # set by the SMS sender only (store.sms), never at creation


class SmsSerialRecord(Row):
    """Which notification an SMS the provider accepted belongs to: its receipts name only the
    provider's serial number (and the phone, checked against ``phone_key``)."""

    serial: str
    person_key: str
    notification_id: str
    phone_key: str  # keyed hash of the number (store.keys.phone_key), never the number
    county: str  # where its receipt is counted
    sent_at: str


class PhoneWindowRecord(Versioned):
    """The recent SMS sends to one phone (keyed hash), within the longest rate-limit window:
    what the per-phone limits are checked against, changed with each claim."""

    phone_key: str
    sent: list[str] = Field(default_factory=list)  # UTC instants, oldest first


class SubsidyGrantRecord(Row):
    """The one start-up subsidy a person may ever get (its key makes a second one impossible)."""

    person_key: str
    application_id: str
    approved_at: str
    amount: int


class SubsidyMatchRecord(Row):
    """A subsidy claim filed under its match key: a keyed hash of the claimant's name, birth
    date and gender (domain.person.match_identity), never the data, so a claim by the same
    person under another document is found and flagged to the officer."""

    match_key: str
    application_id: str
    claimed_at: str


class PaymentRecord(Row):
    """The payment order: the only place the bank account is kept in full."""

    application_id: str
    amount: int
    bank: str
    account: str  # sealed (services.personal): the envelope, never the number in clear
    created_at: str
    status: str = "ordered"


class NoticeRecord(Row):
    """A line of the public notice (公示) of approved subsidies: masked data only."""

    application_id: str
    approved_on: str
    name: str
    id_number: str
    business_name: str
    amount: int
    county: str


class AccessRecord(Row):
    """One read of a case's personal data by staff (the audit trail): who, when, why. One per
    request id (a retried request is one read); never changed or deleted."""

    case_id: str
    request_id: str
    at: str  # UTC ISO-8601
    operation: str  # the route's operation name: why it was read
    subject: str  # staff id
    role: str
    department: str | None = None
    county: str | None = None
    clear: list[str] = Field(default_factory=list)  # fields shown in clear, the rest masked


class ConnectorCallRecord(Row):
    """One attempt at a department's system: what the connectors' health is read from.
    Written in the transaction of the change the attempt led to; expires after a week."""

    connector: str
    outcome: str  # answered (an answer or a refusal) | failed
    at: str
    case_id: str
    item: str
    failure: str | None = None  # the failure's class
    attempt: str  # unique per attempt (two attempts may share an instant)
    expires_at: int  # epoch seconds, the table's TTL attribute


class CalendarYearRecord(Versioned):  # every load of a year is a new version; the earlier kept
    year: int
    holidays: list[str]
    workdays: list[str]
    source: str
    loaded_at: str
    loaded_by: str | None = None  # the admin who loaded it


class CalendarVersionRecord(CalendarYearRecord):
    """A kept version of a year's holiday data (the current one too): never changed."""


class CalendarAlertRecord(Row):
    """The admins were told, that day, that next year's holiday data is missing: one row per
    year and local day, so the daily alert goes out once a day however often the job runs."""

    year: int  # the year whose data is missing
    day: str  # the local date the alert was sent
    at: str  # UTC instant


class UploadCitationRecord(Row):
    """Which case cites an upload (one case per upload, ever): written with the case's change,
    only where none exists yet. The key is the upload's object key (the owner's person key,
    never an ID number)."""

    key: str
    case_id: str
    version_id: str
    sha256: str
    cited_at: str


class AdminActionRecord(Row):
    """What an admin did by hand (a job run, a calendar load): who, when, what. Never changed."""

    at: str  # UTC ISO-8601
    request_id: str
    subject: str  # the admin's staff id
    action: str  # the operation: run_job, put_calendar_year
    target: str  # the job's name, the year
    detail: dict[str, Any] = Field(default_factory=dict)


class IdempotencyRecord(Row):
    scope: str
    client_key: str  # the client's key, or (no key) the form's keyed digest
    request_hash: str  # the form's keyed digest (services.submit.form_digest), never a plain hash
    case_id: str
    expires_at: int  # epoch seconds, the table's TTL attribute
    # Epoch seconds. TTL deletes expired rows up to days late: until then a row whose
    # ``expires_at`` is before this one's ``created_at`` counts as absent.
    created_at: int = 0


class CaseBundle(Row):
    """Everything one ``Query`` on a case's partition returns."""

    case: CaseRecord
    items: list[ItemRecord]
    events: list[EventRecord]

    def item(self, code: str) -> ItemRecord | None:
        return next((i for i in self.items if i.code == code), None)
