"""The single table's key scheme: every partition and sort key is built here and only here.

No key holds personal data in clear: people are known by a keyed hash (``person_key``).
"""

from __future__ import annotations

import hashlib
import hmac
import re

CASE_SK = "CASE"
IDEMPOTENCY_SK = "IDEMPOTENCY"
SUBSIDY_SK = "SUBSIDY"  # under person_pk: the one start-up subsidy a person may ever get
PAYMENT_SK = "PAYMENT"  # under case_pk
DELIVERY_SK = "DELIVERY"  # under case_pk
FOLLOW_UP_SK = "FOLLOWUP"  # under case_pk: the call-backs poor ratings open (follow_up_sk)
CALENDAR_PK = "CALENDAR"
NOTICE_PK = "NOTICE#startup_subsidy"

# Global secondary indexes. Every one but the first two is sparse: a row is in it exactly
# while a job or a queue has to see it (store.codec derives membership from the row's state).
GSI_OWNER = "GSI1"  # an applicant's cases (person) / a clerk's cases, newest first
GSI_QUEUE = "GSI2"  # a department's work queue per county and task status; a clerk's cases
GSI_DUE = "GSI3"  # open, not yet flagged case and item rows, by due instant
GSI_REMIND = "GSI4"  # subsidy items waiting for their one-year reminder, by reminder date
# Accepted cases whose workflow has not run yet, by acceptance (UNSTARTED); items the system
# gave up on, waiting for a person to take them over, by when (FAILED).
GSI_UNSTARTED = "GSI5"
GSI_BREACH = "GSI6"  # flagged and still open rows, per department and county
GSI_PROVISIONAL = "GSI7"  # rows whose deadline was computed without official holiday data
INDEXES = (GSI_OWNER, GSI_QUEUE, GSI_DUE, GSI_REMIND, GSI_UNSTARTED, GSI_BREACH, GSI_PROVISIONAL)
DUE_PK, REMIND_PK, UNSTARTED_PK, PROVISIONAL_PK = "DUE", "REMIND", "UNSTARTED", "PROVISIONAL"
FAILED_PK = "FAILED"
RETRY_PK = "RETRY"  # in GSI_REMIND: items waiting for a department, by when their task is lost


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


def item_sk(code: str) -> str:
    return f"ITEM#{code}"


def event_sk(at_iso: str, seq: str) -> str:
    return f"EVENT#{at_iso}#{seq}"


def person_pk(person_key: str) -> str:
    return f"PERSON#{person_key}"


def subsidy_match_pk(match_key: str) -> str:
    """Claims filed under one match key (a keyed hash, like ``person_key``)."""
    return f"MATCH#{match_key}"


def subsidy_match_sk(application_id: str) -> str:
    return f"CLAIM#{application_id}"


def clerk_pk(clerk_id: str) -> str:
    return f"CLERK#{clerk_id}"


def certificate_sk(number: str) -> str:
    return f"CERT#{number}"


def notification_sk(notification_id: str) -> str:
    return f"NOTE#{notification_id}"  # ids sort by time (services.notify)


SMS_SK = "SMS"
PHONE_WINDOW_SK = "WINDOW"


def sms_serial_pk(serial: str) -> str:
    return f"SMSSERIAL#{serial}"


def phone_window_pk(phone_key: str) -> str:
    return f"SMSPHONE#{phone_key}"


def phone_key(secret: str, phone: str) -> str:
    """A phone number as keys and rows may name it: a keyed hash, like ``person_key``."""
    digest = hmac.new(secret.encode("utf-8"), f"sms-phone:{phone}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def calendar_sk(year: int) -> str:
    return f"YEAR#{year}"


def calendar_version_sk(year: int, version: int) -> str:
    return f"VERSION#{year}#{version:04d}"


def calendar_alert_sk(year: int, day: str) -> str:
    return f"ALERT#{year}#{day}"


ADMIN_ACTIONS_PK = "ADMIN#ACTIONS"  # the admins' audit trail: one partition, a few rows a day


def admin_action_sk(at_iso: str, request_id: str) -> str:
    return f"{at_iso}#{request_id}"


def owner_sk(accepted_at_iso: str, case_id: str) -> str:
    return f"{accepted_at_iso}#{case_id}"


def idempotency_pk(scope: str, client_key: str) -> str:
    # The client's key is arbitrary text: hash it so the key's length and alphabet are ours.
    digest = hashlib.sha256(client_key.encode("utf-8")).hexdigest()
    return f"IDEM#{scope}#{digest}"


def connector_pk(connector: str, outcome: str) -> str:
    """One partition per connector and outcome (answered, failed): a health read is a Query
    for the newest row, or a count since an instant, never a scan of every call."""
    return f"CONNECTOR#{connector}#{outcome}"


def connector_sk(at_iso: str, case_id: str, item: str, attempt: str) -> str:
    return f"{at_iso}#{case_id}#{item}#{attempt}"


CITATION_SK = "CITED"


def citation_pk(upload_key: str) -> str:
    # Object keys are long: a digest keeps the partition key short and of our alphabet.
    return f"UPLOAD#{hashlib.sha256(upload_key.encode('utf-8')).hexdigest()}"


def access_pk(case_id: str) -> str:
    # Its own partition, not the case's: the audit trail grows, a case's reads stay one Query.
    return f"ACCESS#{case_id}"


def access_sk(at_iso: str, request_id: str) -> str:
    """Ordered by time, so the log pages in order; one row per request and instant."""
    return f"READ#{at_iso}#{request_id}"


ACCESS_SK_PATTERN = re.compile(r"READ#\d{4}-\d\d-\d\dT[0-9:.]{8,15}\+00:00#[A-Za-z0-9_-]{1,128}")


def queue_pk(department: str, county: str, task_status: str) -> str:
    return f"TASKS#{department}#{county}#{task_status}"


STAT_SHARDS = 8  # counter rows per day and county, so concurrent changes rarely collide


def stats_pk(day: str) -> str:
    return f"STATS#{day[:7]}"  # one partition per month: a report reads a month per Query


def stats_sk(day: str, county: str, shard: int) -> str:
    return f"{day}#{county}#{shard}"


def form_version_sk(version: int) -> str:
    return f"FORM#{version:04d}"


def follow_up_pk(department: str, county: str, status: str) -> str:
    return f"FOLLOWUPS#{department}#{county}#{status}"


def follow_up_sk(stage: str) -> str:
    """One call-back per rated stage. The completion's keeps the key of the one call-back a
    case had before ratings had stages, so rows written then are still found."""
    return FOLLOW_UP_SK if stage == "completion" else f"{FOLLOW_UP_SK}#{stage}"


def breach_pk(department: str, county: str) -> str:
    return f"BREACHES#{department}#{county}"


def provisional_breach_pk(department: str, county: str) -> str:
    """Past a deadline computed without official holiday data: listed beside the breaches,
    in a partition of its own, so no count of breaches includes them."""
    return f"BREACHES_PROVISIONAL#{department}#{county}"


def schedule_sk(when: str, case_id: str, code: str) -> str:
    """Sort key of the sparse job indexes: when it is due, then which row."""
    return f"{when}#{case_id}#{code}"


# The change feeds (GET /v1/events): one partition per audience, rows ordered by the instant
# their transaction was sent, then case and history entry (unique: a case's history key).
FEED_ALL_PK = "FEED#ALL"
FEED_SK_PATTERN = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00#[0-9a-f]{1,64}#[0-9a-z_.]{1,100}"
)


def feed_person_pk(person_key: str) -> str:
    return f"FEED#PERSON#{person_key}"


def feed_county_pk(county: str) -> str:
    return f"FEED#COUNTY#{county}"


def feed_department_pk(department: str, county: str) -> str:
    return f"FEED#DEPT#{department}#{county}"


def feed_sk(recorded_at: str, case_id: str, seq: str) -> str:
    return f"{recorded_at}#{case_id}#{seq}"


def feed_after(sk: str) -> str:
    """The lowest sort key strictly after ``sk``: a space sorts below every character the
    feed's keys use, and no key contains one."""
    return f"{sk} "


def feed_upto(recorded_at: str) -> str:
    """The highest sort key recorded at or before ``recorded_at``."""
    return f"{recorded_at}~"
