"""No unkeyed digest of personal data is stored (docs/domain.md §10): the form's digest, which
makes a resubmission or a retried key one case, is an HMAC under a key only the API holds, and
the case row keeps none at all. Someone who reads the table (console, PITR restore, export)
sees every other field of a row, so a plain SHA-256 of the form would let them guess the ID
number and the account by brute force."""

from __future__ import annotations

import hashlib
import hmac
import json

import boto3

from chalicelib.services.submit import form_digest
from chalicelib.store import keys
from tests.functional.helpers import application, settle, submit
from tests.functional.jobs import run_job
from tests.functional.test_personal_data_at_rest import stored_rows


def _candidates(form: dict) -> set[str]:
    """Every unkeyed digest an attacker could compute from a guessed form."""
    found = set()
    for sort_keys in (True, False):
        text = json.dumps(form, sort_keys=sort_keys, ensure_ascii=False, separators=(",", ":"))
        found.add(hashlib.sha256(text.encode()).hexdigest())
    return found


def test_no_stored_row_holds_an_unkeyed_digest_of_the_form(aws, client, clock):
    body = application()
    assert submit(client, body).status_code == 202  # without a key: the resubmission window
    assert submit(client, body, **{"Idempotency-Key": "k-1"}).status_code == 202

    text = json.dumps(stored_rows(aws), ensure_ascii=False)
    for digest in _candidates(body):
        assert digest not in text
    case_rows = [r for r in stored_rows(aws) if r.get("kind") == "case"]
    assert case_rows and all("form_hash" not in r for r in case_rows)


def test_the_digest_is_an_hmac_under_the_api_only_key():
    form = {"applicant": {"id_number": "410302199001019018"}}
    canonical = json.dumps(form, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    expected = hmac.new(b"k" * 32, canonical.encode(), hashlib.sha256).hexdigest()
    assert form_digest("k" * 32, form) == expected
    assert form_digest("j" * 32, form) != expected


def test_the_list_indexes_copy_no_form_result_or_task_token(aws, client, pump, clock):
    case_id = json.loads(submit(client, application()).body)["id"]
    settle(pump, client, case_id)  # its pension waits for an officer: the case stays open
    late = "2026-12-14T09:00:00+08:00"  # past its due date (2026-12-11): flagged, listed
    clock.set(late)
    assert run_job(client, "deadline-breaches", late)["changed"] == 2
    dynamodb = boto3.client("dynamodb", region_name="cn-north-1")
    filled = set()
    for index in (keys.GSI_OWNER, keys.GSI_QUEUE, keys.GSI_BREACH):  # the lists people read
        found = dynamodb.scan(TableName=aws.table_name, IndexName=index)["Items"]  # test only
        for item in found:
            assert not {"form", "result", "task_token", "form_hash"} & item.keys(), index
        filled |= {index} if found else set()
    # none is empty: the applicant's list, the department's queue and the breach list
    assert filled == {keys.GSI_OWNER, keys.GSI_QUEUE, keys.GSI_BREACH}
