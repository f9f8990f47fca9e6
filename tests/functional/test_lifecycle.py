"""The rest of a case's life through the API: correction, withdrawal, unified delivery,
notifications and the first responder (rating: test_ratings.py)."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import (
    HRSS_OFFICER,
    application,
    case,
    decide,
    item,
    post,
    settle,
    submit,
    submitted,
    upload,
)
from tests.functional.jobs import notifications

OFFICER = bearer("officer", "o-1", **HRSS_OFFICER)
CLERK = bearer("clerk", "clerk-1", county="410302")
TYPO = {"name": "洛阳市老城区示列小吃店", "uscc": "92410302MA47K2NQ4D"}
SIMPLE = {
    "items": ["taxpayer_confirmation", "employment_certificate"],
    "pension": None,
    "subsidy": None,
}


def test_a_typo_in_the_business_name_asks_for_correction_and_the_corrected_case_completes(
    client, pump, clock
):
    case_id = submitted(client, business=TYPO, **SIMPLE)
    view = settle_until(pump, client, case_id, "correction_required")
    assert item(view, "license_verification")["status"] == "correction_required"
    assert (
        item(view, "license_verification")["result"]["corrections"][0]["field"] == "business.name"
    )
    note = [n for n in notifications(client, bearer()) if n["type"] == "correction_required"]
    assert len(note) == 1 and "business.name" in note[0]["text"]

    clock.set("2026-12-01T09:00:00+08:00")
    corrected = application(**SIMPLE)
    response = post(client, f"/v1/applications/{case_id}/corrections", corrected, bearer())
    assert response.status_code == 200, response.body
    # The clock restarted: instant items only, so due the day the correction came in
    assert json.loads(response.body)["due_date"] == "2026-12-01"
    view = settle(pump, client, case_id)
    assert view["status"] == "completed"
    assert view["business"]["name"] == "洛阳市老城区示例小吃店"
    assert "corrected" in [h["type"] for h in view["history"]]


def settle_until(pump, client, case_id, status):
    assert pump.run_until(lambda: case(client, case_id)["status"] == status)
    return case(client, case_id)


def test_a_correction_must_keep_the_items_and_is_refused_once_the_case_is_complete(
    client, pump, clock
):
    case_id = submitted(client, business=TYPO, **SIMPLE)
    settle_until(pump, client, case_id, "correction_required")
    other_items = application(items=["taxpayer_confirmation"], pension=None, subsidy=None)
    response = post(client, f"/v1/applications/{case_id}/corrections", other_items, bearer())
    assert response.status_code == 422
    assert json.loads(response.body)["errors"][0]["code"] == "items.changed"

    done = submitted(client, **SIMPLE)
    settle(pump, client, done)
    response = post(client, f"/v1/applications/{done}/corrections", application(**SIMPLE), bearer())
    assert response.status_code == 409


def test_an_officer_returns_the_pension_for_correction_with_every_field_at_once(
    client, pump, clock
):
    case_id = submitted(client)
    settle(pump, client, case_id)
    path = f"/v1/departments/hrss/tasks/{case_id}.pension_registration/correction"
    body = {
        "corrections": [
            {"field": "pension.contribution_base", "reason": "缴费基数与申报不符"},
            {"field": "applicant.address", "reason": "请填写详细到门牌号的现居地"},
        ]
    }
    assert post(client, path, body, OFFICER).status_code == 200
    view = case(client, case_id)
    assert view["status"] == "correction_required"
    assert decide(client, case_id).status_code == 409  # not under review any more
    fixed = application()
    fixed["pension"] = {"contribution_base": 5000}
    assert (
        post(client, f"/v1/applications/{case_id}/corrections", fixed, bearer()).status_code == 200
    )
    assert item(case(client, case_id), "pension_registration")["status"] == "in_review"
    assert decide(client, case_id).status_code == 200
    assert settle(pump, client, case_id)["status"] == "completed"


def test_withdrawal_stops_the_case_and_keeps_what_was_issued(client, pump, clock):
    case_id = submitted(client)
    settle(pump, client, case_id)
    response = post(
        client, f"/v1/applications/{case_id}/withdrawal", {"reason": "暂不参保"}, bearer()
    )
    assert response.status_code == 200, response.body
    view = case(client, case_id)
    assert view["status"] == "withdrawn"
    assert item(view, "pension_registration")["status"] == "withdrawn"
    assert item(view, "employment_certificate")["status"] == "completed"
    certs = json.loads(client.http.get("/v1/me/certificates", headers=bearer()).body)[
        "certificates"
    ]
    assert [c["type"] for c in certs] == ["employment_certificate", "business_licence"]
    again = post(client, f"/v1/applications/{case_id}/withdrawal", {"reason": "again"}, bearer())
    assert again.status_code == 409


def test_certificates_are_mailed_and_the_applicant_sees_the_tracking_number(client, pump, clock):
    case_id = submitted(client, **SIMPLE)
    settle(pump, client, case_id)
    delivery = json.loads(
        client.http.get(f"/v1/applications/{case_id}/delivery", headers=bearer()).body
    )
    assert (delivery["method"], delivery["status"]) == ("mail", "awaiting_dispatch")
    dispatch = {"courier": "中国邮政EMS", "tracking_number": "1234567890123"}
    assert (
        post(client, f"/v1/applications/{case_id}/delivery/dispatch", dispatch, OFFICER).status_code
        == 200
    )
    delivery = json.loads(
        client.http.get(f"/v1/applications/{case_id}/delivery", headers=bearer()).body
    )
    assert (delivery["status"], delivery["tracking_number"]) == ("dispatched", "1234567890123")
    kinds = [n["type"] for n in notifications(client, bearer())]
    assert "delivery_dispatched" in kinds and kinds.count("case_finished") == 1


def test_pickup_needs_the_right_code_at_the_counter(client, pump, clock):
    pickup = {"method": "pickup", "service_center": "老城区政务服务中心"}
    case_id = submitted(client, delivery=pickup, **SIMPLE)
    settle(pump, client, case_id)
    raw = client.http.get(f"/v1/applications/{case_id}/delivery", headers=bearer()).body
    mine = json.loads(raw)
    assert "pickup_code" in mine, raw
    assert mine["status"] == "ready_for_pickup" and len(mine["pickup_code"]) == 6
    officer_view = json.loads(
        client.http.get(f"/v1/applications/{case_id}/delivery", headers=OFFICER).body
    )
    assert officer_view["pickup_code"] is None  # only the applicant sees the code
    path = f"/v1/applications/{case_id}/delivery/handover"
    wrong = "000000" if mine["pickup_code"] != "000000" else "111111"
    assert post(client, path, {"pickup_code": wrong}, CLERK).status_code == 422
    assert post(client, path, {"pickup_code": mine["pickup_code"]}, CLERK).status_code == 200
    assert post(client, path, {"pickup_code": mine["pickup_code"]}, CLERK).status_code == 409


def test_notifications_are_listed_once_and_can_be_marked_read(client, pump, clock):
    case_id = submitted(client, **SIMPLE)
    settle(pump, client, case_id)
    notes = notifications(client, bearer())
    kinds = sorted(n["type"] for n in notes)
    assert kinds == [
        "accepted",
        "case_finished",
        "delivery_ready",
        "item_finished",
        "item_finished",
        "item_finished",
        "rating_invitation",  # after acceptance
        "rating_invitation",  # after the end
    ]
    sent = [s for s in clock.notifier.sent if s[0] == "applicant"]
    assert len(sent) == len(notes)  # each delivered exactly once
    first = notes[0]["id"]
    assert post(client, f"/v1/me/notifications/{first}/read", {}, bearer()).status_code == 200
    assert [n["read"] for n in notifications(client, bearer()) if n["id"] == first] == [True]
    assert post(client, "/v1/me/notifications/nope/read", {}, bearer()).status_code == 404


def test_the_first_responder_owns_the_case_until_handing_it_over(client, pump, clock):
    case_id = submitted(client)
    path = f"/v1/applications/{case_id}/owner"
    assert post(client, path, {"note": "来电咨询进度"}, OFFICER).status_code == 200
    other = bearer("officer", "o-2", department="tax", county="410302")
    assert post(client, path, {"note": "我来"}, other).status_code == 409
    handed = post(client, path, {"to": "o-2", "note": "涉税问题转税务"}, OFFICER)
    assert json.loads(handed.body)["owner"] == "o-2"
    types = [h["type"] for h in case(client, case_id)["history"]]
    assert types.count("ownership_taken") == 1 and types.count("handed_over") == 1


def test_the_archive_keeps_every_form_version_certificate_and_decision(client, pump, clock):
    case_id = submitted(client, business=TYPO)
    settle_until(pump, client, case_id, "correction_required")
    post(client, f"/v1/applications/{case_id}/corrections", application(), bearer())
    settle(pump, client, case_id)
    decide(client, case_id)
    settle(pump, client, case_id)
    listing = client.http.get(f"/v1/applications/{case_id}/archive", headers=OFFICER)
    assert listing.status_code == 200, listing.body
    keys = [e["key"] for e in json.loads(listing.body)["entries"]]
    assert any(k.endswith("/form/v1.json") for k in keys)
    assert any(k.endswith("/form/v2.json") for k in keys)
    assert any("/certificates/JY" in k for k in keys) and any(
        "/certificates/YL" in k for k in keys
    ), keys
    assert any(k.endswith("/decisions/pension_registration-completed.json") for k in keys)
    assert (
        client.http.get(f"/v1/applications/{case_id}/archive", headers=bearer()).status_code == 403
    )


def test_attachments_must_be_the_callers_own_uploads(client, clock):
    mine = upload(client, purpose="id_photo")
    ok = submit(client, application(attachments=[{"purpose": "id_photo", "key": mine}]))
    assert ok.status_code == 202, ok.body
    theirs = upload(client, sub="410311200306159021", purpose="id_photo")
    refused = submit(client, application(attachments=[{"purpose": "id_photo", "key": theirs}]))
    assert refused.status_code == 422
    assert json.loads(refused.body)["errors"][0]["code"] == "upload.not_yours"


def test_five_wrong_pickup_codes_retire_the_code_and_the_applicant_gets_a_new_one(
    client, pump, clock
):
    pickup = {"method": "pickup", "service_center": "老城区政务服务中心"}
    case_id = submitted(client, delivery=pickup, **SIMPLE)
    settle(pump, client, case_id)
    path = f"/v1/applications/{case_id}/delivery"
    code = json.loads(client.http.get(path, headers=bearer()).body)["pickup_code"]
    wrong = "000000" if code != "000000" else "111111"
    answers = [post(client, f"{path}/handover", {"pickup_code": wrong}, CLERK) for _ in range(6)]
    codes = [json.loads(a.body)["errors"][0]["code"] for a in answers]
    assert {a.status_code for a in answers} == {422}
    assert codes == ["pickup_code.mismatch"] * 4 + ["pickup_code.locked", "pickup_code.mismatch"]
    # The old code no longer works; the new one reached the applicant and does.
    assert post(client, f"{path}/handover", {"pickup_code": code}, CLERK).status_code == 422
    new = json.loads(client.http.get(path, headers=bearer()).body)["pickup_code"]
    note = [n for n in notifications(client, bearer()) if n["type"] == "delivery_code_reissued"]
    assert len(note) == 1 and new in note[0]["text"]
    assert post(client, f"{path}/handover", {"pickup_code": new}, CLERK).status_code == 200
