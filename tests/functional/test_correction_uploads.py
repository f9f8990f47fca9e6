"""A correction checks the uploads it cites exactly as a submission does (docs/domain.md §3):
only the caller's own uploads, issued for that purpose, in the key format the service hands
out. Anything else is a 422 naming the field, and nothing is written."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import application, post, upload
from tests.functional.test_lifecycle import SIMPLE, TYPO, settle_until, submitted

OTHER_APPLICANT = "410311200306159021"


def _correct(client, case_id, attachments):
    body = application(**SIMPLE, attachments=attachments)
    return post(client, f"/v1/applications/{case_id}/corrections", body, bearer())


def _fields(response) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in json.loads(response.body)["errors"]]


def test_a_correction_citing_another_persons_upload_or_a_bare_prefix_is_refused(
    client, pump, clock
):
    case_id = submitted(client, business=TYPO, **SIMPLE)
    settle_until(pump, client, case_id, "correction_required")
    theirs = upload(client, sub=OTHER_APPLICANT, purpose="id_photo")
    mine = upload(client, purpose="id_photo")
    prefix = mine.rsplit("/", 2)[0] + "/"

    response = _correct(
        client,
        case_id,
        [
            {"purpose": "id_photo", "key": theirs},
            {"purpose": "other", "key": prefix},
            {"purpose": "id_document", "key": mine},
        ],
    )

    assert response.status_code == 422, response.body
    assert _fields(response) == [
        ("attachments.0.key", "upload.not_yours"),
        ("attachments.1.key", "upload.key_invalid"),
        ("attachments.2.key", "upload.wrong_purpose"),
    ]
    view = json.loads(client.http.get(f"/v1/applications/{case_id}", headers=bearer()).body)
    assert view["status"] == "correction_required"  # nothing written


def test_a_correction_citing_the_applicants_own_upload_is_accepted(client, pump, clock):
    case_id = submitted(client, business=TYPO, **SIMPLE)
    settle_until(pump, client, case_id, "correction_required")
    mine = upload(client, purpose="id_photo")
    response = _correct(client, case_id, [{"purpose": "id_photo", "key": mine}])
    assert response.status_code == 200, response.body
