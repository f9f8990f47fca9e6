"""Uploads and the electronic archive against moto's S3 (versioned bucket).

moto 5.2.5 signs presigned POSTs but does not enforce their policy (a wrong Content-Type or an
oversize body is accepted), so these tests check the signed policy itself and stand in for the
browser's form POST with ``put_object`` on the issued key.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import datetime

import pytest

from chalicelib import deps
from chalicelib.domain.access import Principal, Role
from chalicelib.services import references, uploads
from tests.conftest import bearer
from tests.functional.helpers import HRSS_OFFICER, OPERATOR, application, post, submit

OTHER_APPLICANT = "410311200306159021"
MB = 1024 * 1024


def presign(client, body=None, sub=OPERATOR, role="applicant", **claims):
    request = {"purpose": "id_photo", "content_type": "image/jpeg", "size": 2 * MB, **(body or {})}
    return post(client, "/v1/uploads", request, bearer(role, sub, **claims))


def issued(client, **body):
    response = presign(client, body)
    assert response.status_code == 201, response.body
    return json.loads(response.body)


def s3():
    return deps.client("s3")


def send(key, body=b"\xff\xd8\xff\xe0 a jpeg", content_type="image/jpeg"):
    """What the browser's form POST stores (moto does not check the policy)."""
    return s3().put_object(
        Bucket=deps.get_settings().uploads_bucket, Key=key, Body=body, ContentType=content_type
    )


def owner(key):
    return Principal(Role.APPLICANT, key.split("/")[1])


def errors(response):
    return [(e["field"], e["code"]) for e in json.loads(response.body)["errors"]]


def test_presigned_upload_is_bound_to_the_caller_its_type_and_5_mb(client, clock):
    out = issued(client, purpose="id_document", content_type="image/png", size=123)
    person = out["key"].split("/")[1]
    assert out["key"].startswith(f"uploads/{person}/id_document/") and out["key"].endswith(".png")
    assert OPERATOR not in out["key"]  # the person key, not the ID number
    assert person.startswith("v1.") and len(person) == 35
    assert out["fields"]["key"] == out["key"]
    assert out["fields"]["Content-Type"] == "image/png"
    assert out["url"].startswith(f"https://{deps.get_settings().uploads_bucket}.s3.")
    assert datetime.fromisoformat(out["expires_at"]) == datetime.fromisoformat(
        "2026-11-27T10:15:00+08:00"
    )
    policy = json.loads(base64.b64decode(out["fields"]["policy"]))
    assert {"Content-Type": "image/png"} in policy["conditions"]
    assert ["content-length-range", 1, 5 * MB] in policy["conditions"]
    assert {"key": out["key"]} in policy["conditions"]


def test_an_uploaded_object_is_stored_encrypted_under_its_key(client, clock):
    key = issued(client)["key"]
    send(key)
    head = s3().head_object(Bucket=deps.get_settings().uploads_bucket, Key=key)
    assert head["ContentType"] == "image/jpeg"
    assert head["ServerSideEncryption"] == "AES256"
    assert references.check_references(deps.documents(), owner(key), [key]) == []


def test_wrong_type_is_422(client, clock):
    response = presign(client, {"content_type": "image/gif"})
    assert response.status_code == 422
    assert errors(response) == [("content_type", "upload.type_not_allowed")]


def test_too_big_is_422_with_every_problem_at_once(client, clock):
    response = presign(client, {"purpose": "selfie", "size": 5 * MB + 1})
    assert response.status_code == 422
    assert errors(response) == [("purpose", "upload.purpose_unknown"), ("size", "upload.too_large")]


def test_officers_do_not_upload(client, clock):
    response = presign(client, role="officer", sub="o-1", **HRSS_OFFICER)
    assert response.status_code == 403


def test_a_window_clerk_uploads_under_their_own_id(client, clock):
    response = presign(client, role="clerk", sub="clerk-7", county="410302")
    assert response.status_code == 201
    assert json.loads(response.body)["key"].startswith("uploads/clerk-7/id_photo/")


def test_another_applicants_key_is_not_yours_and_an_unsent_one_is_missing(client, clock):
    theirs = json.loads(presign(client, sub=OTHER_APPLICANT).body)["key"]
    send(theirs)
    mine_unsent = issued(client)["key"]
    me = owner(mine_unsent)
    problems = references.check_references(
        deps.documents(), me, [theirs, mine_unsent], "attachments.{i}.key"
    )
    assert [(p.field, p.code) for p in problems] == [
        ("attachments.0.key", "upload.not_yours"),
        ("attachments.1.key", "upload.missing"),
    ]


def test_archive_writes_are_idempotent(aws):
    store = deps.documents()
    form = {"items": ["license_verification"], "county": "410302"}
    first = uploads.archive_form(store, "case-1", 1, form)
    again = uploads.archive_form(store, "case-1", 1, dict(form))
    assert first == again
    assert [(o.key, o.version_id) for o in store.list("archive/case-1/")] == [
        ("archive/case-1/form/v1.json", first)
    ]


def test_a_different_write_to_an_archived_key_does_not_overwrite_it(aws):
    store = deps.documents()
    kept = uploads.archive_decision(store, "case-1", "pension_registration", "approved", {"n": 1})
    other = uploads.archive_decision(store, "case-1", "pension_registration", "approved", {"n": 2})
    assert other == kept
    key = uploads.decision_key("case-1", "pension_registration", "approved")
    body = s3().get_object(Bucket=aws.uploads_bucket, Key=key)["Body"].read()
    assert json.loads(body) == {"n": 1}
    assert len(store.list(key)) == 1


def test_an_upload_sent_twice_keeps_both_versions(client, clock):
    key = issued(client)["key"]
    send(key, b"first")
    send(key, b"second, larger")
    versions = deps.documents().list(key)
    assert [(v.size, v.latest) for v in versions] == [(5, False), (14, True)]
    first = s3().get_object(
        Bucket=deps.get_settings().uploads_bucket, Key=key, VersionId=versions[0].version_id
    )
    assert first["Body"].read() == b"first"


class WithAttachments:
    """The repository with the case form carrying attachments (the form schema adds them)."""

    def __init__(self, inner, attachments):
        self.inner, self.attachments = inner, attachments

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def load_case(self, case_id):
        bundle = self.inner.load_case(case_id)
        if bundle is None:
            return None
        case = bundle.case.model_copy(
            update={"form": {**bundle.case.form, "attachments": self.attachments}}
        )
        return bundle.model_copy(update={"case": case})


@pytest.fixture
def archived_case(client, clock, monkeypatch):
    photo = issued(client)["key"]
    send(photo, b"v1")
    send(photo, b"v2")
    case_id = json.loads(submit(client, application()).body)["id"]
    store = deps.documents()
    uploads.archive_form(store, case_id, 1, application())
    uploads.archive_certificate(store, case_id, "JY0001", {"number": "JY0001"})
    svc = deps.services()
    repo = WithAttachments(svc.repo, [{"purpose": "id_photo", "key": photo}])
    patched = dataclasses.replace(svc, repo=repo)
    monkeypatch.setattr(deps, "services", lambda: patched)
    return case_id, photo


def test_officers_see_every_archived_record_and_upload_version(client, archived_case):
    case_id, photo = archived_case
    response = client.http.get(
        f"/v1/applications/{case_id}/archive", headers=bearer("officer", "o-1", **HRSS_OFFICER)
    )
    assert response.status_code == 200, response.body
    entries = json.loads(response.body)["entries"]
    assert [(e["kind"], e["key"], e["latest"]) for e in entries] == [
        ("certificate", f"archive/{case_id}/certificates/JY0001.json", True),
        ("form", f"archive/{case_id}/form/v1.json", True),
        ("upload", photo, False),
        ("upload", photo, True),
    ]
    assert all(e["last_modified"].endswith("+08:00") and e["version_id"] for e in entries)


def test_the_archive_is_for_officers_of_the_case_only(client, archived_case):
    case_id, _ = archived_case
    path = f"/v1/applications/{case_id}/archive"
    elsewhere = bearer("officer", "o-2", department="hrss", county="410311")
    assert client.http.get(path, headers=elsewhere).status_code == 404
    assert client.http.get(path, headers=bearer("applicant", OPERATOR)).status_code == 403
    assert client.http.get(path, headers=bearer("admin", "a-1")).status_code == 200


# -- what a case's citation of an upload records and guards (issue 14) ---------------------


def _with_photo(key: str) -> dict:
    return application(attachments=[{"purpose": "id_photo", "key": key}])


def test_a_cited_upload_is_recorded_by_version_and_digest_and_kept(client, clock):
    import hashlib

    photo = issued(client)["key"]
    put = send(photo, b"\xff\xd8\xff\xe0 the photo")
    response = submit(client, _with_photo(photo))
    assert response.status_code == 202, response.body
    stored = deps.services().repo.get_case(json.loads(response.body)["id"])
    [attachment] = stored.form["attachments"]
    assert attachment["version_id"] == put["VersionId"]
    assert attachment["sha256"] == hashlib.sha256(b"\xff\xd8\xff\xe0 the photo").hexdigest()
    tags = s3().get_object_tagging(
        Bucket=deps.get_settings().uploads_bucket, Key=photo, VersionId=put["VersionId"]
    )["TagSet"]
    assert tags == [{"Key": "state", "Value": "referenced"}]  # the lifecycle spares it


def test_an_upload_is_cited_by_one_case_only(client, clock):
    photo = issued(client)["key"]
    send(photo)
    assert submit(client, _with_photo(photo)).status_code == 202
    again = submit(
        client, application(county="410303", attachments=[{"purpose": "id_photo", "key": photo}])
    )
    assert again.status_code == 422, again.body
    assert errors(again) == [("attachments.0.key", "upload.already_cited")]


def test_an_upload_whose_content_is_not_its_declared_type_is_refused(client, clock):
    photo = issued(client)["key"]  # a .jpg key
    send(photo, b"<html><script>alert(1)</script></html>")
    response = submit(client, _with_photo(photo))
    assert response.status_code == 422
    assert errors(response) == [("attachments.0.key", "upload.type_mismatch")]


def test_presigned_uploads_are_tagged_unreferenced_for_the_lifecycle(client, clock):
    out = issued(client)
    assert "<Value>unreferenced</Value>" in out["fields"]["tagging"]
    policy = json.loads(base64.b64decode(out["fields"]["policy"]))
    assert {"tagging": out["fields"]["tagging"]} in policy["conditions"]
