"""ID numbers, the contact phone and bank accounts are stored sealed (docs/domain.md §10):
nowhere in the table or the archive bucket in clear, after a whole subsidy case and after a
correction; and they open again, for their own case only."""

from __future__ import annotations

import json

import boto3
import pytest

from chalicelib import deps
from chalicelib.integrations.crypto import CipherError, is_sealed
from chalicelib.services.personal import clear_form
from chalicelib.store import codec
from tests.conftest import bearer
from tests.functional.helpers import OPERATOR, application, post, settle
from tests.functional.jobs import run_job
from tests.functional.test_lifecycle import SIMPLE, TYPO, settle_until, submitted
from tests.functional.test_subsidy import claim, finished_subsidy_case, subsidy_decision

ACCOUNT = application()["subsidy"]["account"]
PHONE = application()["applicant"]["phone"]
SECRETS = (OPERATOR, ACCOUNT)  # the phone also stands, by design in clear, in a mail delivery


def stored_rows(aws) -> list[dict]:
    dynamodb = boto3.client("dynamodb", region_name="cn-north-1")
    pages = dynamodb.get_paginator("scan").paginate(TableName=aws.table_name)  # test only
    return [codec.unmarshal(item) for page in pages for item in page["Items"]]


def stored_objects(aws) -> dict[str, str]:
    s3 = boto3.client("s3", region_name="cn-north-1")
    listed = s3.list_object_versions(Bucket=aws.uploads_bucket).get("Versions", [])
    return {
        f"{v['Key']}@{v['VersionId']}": s3.get_object(
            Bucket=aws.uploads_bucket, Key=v["Key"], VersionId=v["VersionId"]
        )["Body"]
        .read()
        .decode("utf-8", errors="replace")
        for v in listed
    }


def assert_nothing_in_clear(aws) -> None:
    rows = json.dumps(stored_rows(aws), ensure_ascii=False)
    objects = stored_objects(aws)
    assert objects, "the archive holds the form"
    for secret in SECRETS:
        assert secret not in rows
        assert [key for key, text in objects.items() if secret in text] == []
    forms = [r["form"] for r in stored_rows(aws) if r.get("kind") in ("case", "form_version")]
    forms += [json.loads(text) for key, text in objects.items() if "/form/" in key]
    assert forms and all(is_sealed(f["applicant"]["phone"]) for f in forms)


def test_a_whole_subsidy_case_keeps_the_id_number_and_account_sealed(aws, client, pump, clock):
    case_id, _ = finished_subsidy_case(client, pump)
    run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
    assert claim(client, case_id).status_code == 200
    assert subsidy_decision(client, case_id).status_code == 200

    assert_nothing_in_clear(aws)
    payment = next(r for r in stored_rows(aws) if r.get("kind") == "payment")
    assert is_sealed(payment["account"])
    svc = deps.services()
    assert svc.cipher.open(payment["account"], case_id, "payment.account") == ACCOUNT
    form = clear_form(svc.cipher, svc.repo.get_case(case_id))
    assert (form["applicant"]["id_number"], form["subsidy"]["account"]) == (OPERATOR, ACCOUNT)
    assert form["applicant"]["phone"] == PHONE


def test_corrected_form_versions_and_their_archive_stay_sealed(aws, client, pump, clock):
    case_id = submitted(client, business=TYPO, **SIMPLE)
    settle_until(pump, client, case_id, "correction_required")
    corrected = application(**SIMPLE)
    response = post(client, f"/v1/applications/{case_id}/corrections", corrected, bearer())
    assert response.status_code == 200, response.body
    settle(pump, client, case_id)

    assert_nothing_in_clear(aws)
    versions = [r for r in stored_rows(aws) if r.get("kind") == "form_version"]
    assert len(versions) == 1 and is_sealed(versions[0]["form"]["applicant"]["id_number"])
    archived = [k for k in stored_objects(aws) if "/form/" in k]
    assert {k.split("@")[0].rsplit("/", 1)[1] for k in archived} == {"v1.json", "v2.json"}


def test_a_sealed_id_number_does_not_open_for_another_case(aws, client, pump, clock):
    case_id = submitted(client, **SIMPLE)
    svc = deps.services()
    sealed = svc.repo.get_case(case_id).form["applicant"]["id_number"]
    with pytest.raises(CipherError):
        svc.cipher.open(sealed, "another-case", "applicant.id_number")
