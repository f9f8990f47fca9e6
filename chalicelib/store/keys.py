"""The single table's key scheme: every partition and sort key is built here and only here.

No key holds personal data in clear: people are known by a keyed hash (``person_key``).
"""

from __future__ import annotations

import hashlib

CASE_SK = "CASE"
SUBSIDY_SK = "SUBSIDY"  # under person_pk: the one start-up subsidy a person may ever get
IDEMPOTENCY_SK = "IDEMPOTENCY"

# Index names and their key attributes; the table definition reads them from here too.
GSI_OWNER = "GSI1"  # an applicant's cases / a clerk's cases, newest first
GSI_QUEUE = "GSI2"  # a department's work queue per county and task status


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


def item_sk(code: str) -> str:
    return f"ITEM#{code}"


def event_sk(at_iso: str, seq: str) -> str:
    return f"EVENT#{at_iso}#{seq}"


def person_pk(person_key: str) -> str:
    return f"PERSON#{person_key}"


def clerk_pk(clerk_id: str) -> str:
    return f"CLERK#{clerk_id}"


def certificate_sk(number: str) -> str:
    return f"CERT#{number}"


def owner_sk(accepted_at_iso: str, case_id: str) -> str:
    return f"{accepted_at_iso}#{case_id}"


def idempotency_pk(scope: str, client_key: str) -> str:
    # The client's key is arbitrary text: hash it so the key's length and alphabet are ours.
    digest = hashlib.sha256(client_key.encode("utf-8")).hexdigest()
    return f"IDEM#{scope}#{digest}"


def queue_pk(department: str, county: str, task_status: str) -> str:
    return f"TASKS#{department}#{county}#{task_status}"


def task_id(case_id: str, code: str) -> str:
    return f"{case_id}.{code}"


def split_task_id(value: str) -> tuple[str, str]:
    case_id, _, code = value.partition(".")
    return case_id, code
