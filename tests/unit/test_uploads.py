"""Upload keys, upload validation, reference checks and archive keys, on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.access import Principal, Role
from chalicelib.errors import InvalidInput as ValidationFailed
from chalicelib.services import references, uploads
from chalicelib.store.records import CaseBundle, CaseRecord, ItemRecord
from tests.fakes import MemoryDocumentStore

PERSON = "0123456789abcdef0123456789abcdef"  # a person key (keyed hash), as tokens give it
OTHER = "fedcba9876543210fedcba9876543210"
APPLICANT = Principal(Role.APPLICANT, PERSON)
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
TOKEN = "a" * 32
MB = 1024 * 1024


def codes(problems):
    return [(p.field, p.code) for p in problems]


def upload(store, who=APPLICANT, purpose="id_photo", content_type="image/jpeg", size=1000):
    return uploads.new_upload(store, who, purpose, content_type, size, NOW)


@pytest.mark.parametrize(
    ("content_type", "ext"),
    [("image/jpeg", "jpg"), ("image/png", "png"), ("application/pdf", "pdf"), ("IMAGE/PNG", "png")],
)
def test_key_is_owner_purpose_token_and_extension(content_type, ext):
    issued = uploads.new_upload(
        MemoryDocumentStore(), APPLICANT, "id_document", content_type, 10, NOW, lambda: TOKEN
    )
    assert issued.key == f"uploads/{PERSON}/id_document/{TOKEN}.{ext}"
    assert uploads.purpose_of(issued.key) == "id_document"


def test_upload_expires_in_fifteen_minutes_and_is_limited_to_5_mb_of_its_type():
    issued = upload(MemoryDocumentStore(), content_type="application/pdf")
    assert issued.expires_at == NOW + timedelta(minutes=15)
    assert issued.fields["Content-Type"] == "application/pdf"
    assert issued.fields["max"] == str(5 * MB)


def test_staff_owner_is_their_id_and_a_slash_cannot_reach_another_prefix():
    clerk = Principal(Role.CLERK, "clerk-7", county="410302")
    assert uploads.upload_prefix(clerk) == "uploads/clerk-7/"
    sneaky = Principal(Role.CLERK, f"{PERSON}/id_photo", county="410302")
    assert uploads.upload_prefix(sneaky) == f"uploads/{PERSON}%2Fid_photo/"


def test_every_problem_with_an_upload_is_reported_at_once():
    assert codes(uploads.upload_problems("selfie", "image/gif", 5 * MB + 1)) == [
        ("purpose", "upload.purpose_unknown"),
        ("content_type", "upload.type_not_allowed"),
        ("size", "upload.too_large"),
    ]
    assert codes(uploads.upload_problems("other", "image/png", 0)) == [("size", "upload.empty")]
    assert uploads.upload_problems("claim_material", "application/pdf", 5 * MB) == []


def test_raw_values_of_the_wrong_type_are_left_to_the_schema():
    assert uploads.upload_problems(3, None, "big") == []
    assert uploads.upload_problems("id_photo", "image/png", True) == []


def test_a_rejected_upload_is_a_validation_failure_with_chinese_messages():
    with pytest.raises(ValidationFailed) as failed:
        upload(MemoryDocumentStore(), content_type="text/html")
    [problem] = failed.value.problems
    assert problem.code == "upload.type_not_allowed"
    assert "JPEG" in problem.message


def test_references_must_be_the_callers_own_existing_uploads():
    store = MemoryDocumentStore()
    mine = upload(store).key
    store.put(mine, b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    never_sent = upload(store).key
    theirs = upload(store, who=Principal(Role.APPLICANT, OTHER)).key
    store.put(theirs, b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    forged = f"uploads/{PERSON}/id_photo/../../{OTHER}.jpg"
    problems = references.check_references(
        store, APPLICANT, [mine, never_sent, theirs, forged], "attachments.{i}.key"
    )
    assert codes(problems) == [
        ("attachments.1.key", "upload.missing"),
        ("attachments.2.key", "upload.not_yours"),
        ("attachments.3.key", "upload.key_invalid"),  # not a key the service hands out
    ]


def test_reference_field_defaults_to_an_index_after_the_name():
    problems = references.check_references(MemoryDocumentStore(), APPLICANT, ["x"], "materials")
    assert codes(problems) == [("materials.0", "upload.key_invalid")]


def test_archive_keys():
    assert uploads.form_key("c1", 2) == "archive/c1/form/v2.json"
    assert uploads.certificate_key("c1", "JY41030220261127AB") == (
        "archive/c1/certificates/JY41030220261127AB.json"
    )
    assert uploads.decision_key("c1", "pension_registration", "approved") == (
        "archive/c1/decisions/pension_registration-approved.json"
    )
    assert uploads.certificate_key("c1", "a/b") == "archive/c1/certificates/a%2Fb.json"


def test_archiving_the_same_key_twice_keeps_the_first_and_only_version():
    store = MemoryDocumentStore()
    first = uploads.archive_form(store, "c1", 1, {"items": ["license_verification"]})
    again = uploads.archive_form(store, "c1", 1, {"items": ["startup_subsidy"]})
    assert first == again
    [(body, content_type, _)] = store.objects["archive/c1/form/v1.json"]
    assert body == b'{"items":["license_verification"]}'
    assert content_type == "application/json"


def test_corrections_are_new_versions_under_new_keys():
    store = MemoryDocumentStore()
    uploads.archive_form(store, "c1", 1, {"v": 1})
    uploads.archive_form(store, "c1", 2, {"v": 2})
    uploads.archive_certificate(store, "c1", "N1", {"number": "N1"})
    uploads.archive_decision(store, "c1", "pension_registration", "approved", {"by": "o-1"})
    listed = [o.key for o in uploads.list_archive(store, "c1", [])]
    assert listed == [
        "archive/c1/certificates/N1.json",
        "archive/c1/decisions/pension_registration-approved.json",
        "archive/c1/form/v1.json",
        "archive/c1/form/v2.json",
    ]


def test_archive_lists_referenced_uploads_exactly_not_by_prefix_and_not_other_cases():
    store = MemoryDocumentStore()
    key = upload(store).key
    store.put(key, b"1", "image/jpeg")
    store.put(key, b"22", "image/jpeg")  # the client posted twice: both versions are kept
    store.put(key + ".bak", b"x", "image/jpeg")
    uploads.archive_form(store, "c10", 1, {"other": "case"})
    listed = uploads.list_archive(store, "c1", [key, key, "archive/c10/form/v1.json"])
    assert [(o.key, o.size, o.latest) for o in listed] == [(key, 1, False), (key, 2, True)]


def _bundle(form, results=()):
    at = "2026-11-27T02:00:00.000000+00:00"
    case = CaseRecord.model_construct(id="c1", form=form)
    items = [
        ItemRecord.model_construct(code="startup_subsidy", result=result, updated_at=at)
        for result in results
    ]
    return CaseBundle.model_construct(case=case, items=items, events=[])


def test_referenced_uploads_are_form_attachments_then_claim_materials_once_each():
    bundle = _bundle(
        {"attachments": [{"purpose": "id_photo", "key": "uploads/a"}, {"purpose": "x"}, "junk"]},
        [{"claim": {"materials": ["uploads/b", "uploads/a"]}}, {}],
    )
    assert uploads.referenced_uploads(bundle) == ["uploads/a", "uploads/b"]
    assert uploads.referenced_uploads(_bundle({})) == []
