"""The start-up subsidy's conditions over HTTP (docs/domain.md §6): the applicant's
declarations, the graduate's two years, working age at registration, and what the officer
reviewing a claim is told (how each condition was established, a possible second grant)."""

from __future__ import annotations

import json
import os
import uuid

import boto3

from chalicelib.integrations.contract import Licence
from tests.functional.helpers import application, case, item, settle, submit, upload
from tests.functional.test_subsidy import (
    OFFICER,
    claim,
    finished_subsidy_case,
    subsidy_decision,
    subsidy_only,
)

SUBSIDY = application()["subsidy"]  # a returning migrant worker, first start-up, not employed
# A man born 1965-01-10: 60 y 1 m on 2025-02-10, so of working age when his tailor's shop
# was registered (2024-06-01), past it when he applies (2026-11-27).
ELDER = "410302196501101014"
TAILOR = Licence(
    uscc="92410302MA9R3K5L2Y",
    name="洛阳市老城区示例裁缝铺",
    operator_id_number=ELDER,
    registered_on="2024-06-01",
    state="active",
)
# 张三 again (born 1990-01-01, male), now under a 港澳台居民居住证, with a noodle shop.
PERMIT = "810000199001010035"
NOODLES = Licence(
    uscc="92410302MA9T6P8W32",
    name="洛阳市老城区示例面馆",
    operator_id_number=PERMIT,
    registered_on="2025-10-15",
    state="active",
)


def subsidy_case(client, pump, sub="410302199001019018", **subsidy):
    body = subsidy_only(subsidy={**SUBSIDY, **subsidy})
    response = submit(client, body, sub=sub, **{"Idempotency-Key": uuid.uuid4().hex})
    assert response.status_code == 202, response.body
    return settle(pump, client, json.loads(response.body)["id"], sub=sub)


def test_a_declared_earlier_start_up_is_refused_at_once_with_the_plans_reason(client, pump):
    view = subsidy_case(client, pump, first_startup=False)
    subsidy = item(view, "startup_subsidy")
    assert (view["status"], subsidy["status"]) == ("partially_completed", "refused")
    assert subsidy["result"]["reason_code"] == "subsidy.not_first_startup"
    assert "首次创办小微企业或从事个体经营" in subsidy["result"]["reason"]
    assert "reminder_date" not in subsidy["result"]
    said = [e["detail"] for e in view["history"] if e["item"] == "startup_subsidy"]
    assert any("首次创办" in detail for detail in said)


def test_a_declared_job_when_starting_is_refused_at_once(client, pump):
    subsidy = item(subsidy_case(client, pump, employed_when_starting=True), "startup_subsidy")
    assert subsidy["status"] == "refused"
    assert subsidy["result"]["reason_code"] == "subsidy.employed_when_starting"
    assert "创业时不在机关事业或其他单位（企业）就业" in subsidy["result"]["reason"]


def test_a_graduate_three_years_out_of_school_at_registration_is_refused(client, pump):
    # The licence was registered on 2025-10-15.
    late = subsidy_case(client, pump, category="recent_graduate", left_school_on="2022-07-01")
    subsidy = item(late, "startup_subsidy")
    assert subsidy["status"] == "refused"
    assert subsidy["result"]["reason_code"] == "subsidy.graduate_beyond_two_years"
    assert "离校2年内高校毕业生" in subsidy["result"]["reason"]
    recent = subsidy_case(client, pump, category="recent_graduate", left_school_on="2024-07-01")
    assert item(recent, "startup_subsidy")["status"] == "reminder_scheduled"


def test_the_declarations_are_required_and_the_leaving_date_is_for_graduates(client):
    bare = {
        k: v for k, v in SUBSIDY.items() if k not in ("first_startup", "employed_when_starting")
    }
    cases = [
        (
            bare,
            {("subsidy.first_startup", "required"), ("subsidy.employed_when_starting", "required")},
        ),
        ({**SUBSIDY, "first_startup": "否"}, {("subsidy.first_startup", "invalid_type")}),
        ({**SUBSIDY, "category": "recent_graduate"}, {("subsidy.left_school_on", "required")}),
        (
            {**SUBSIDY, "left_school_on": "2024-07-01"},
            {("subsidy.left_school_on", "not_applicable")},
        ),
    ]
    for section, expected in cases:
        response = submit(client, subsidy_only(subsidy=section))
        assert response.status_code == 422, (section, response.body)
        errors = json.loads(response.body)["errors"]
        assert {(e["field"], e["code"]) for e in errors} == expected, errors
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in errors)


def test_working_age_is_judged_at_registration_only(client, pump, clock, departments):
    departments.put_licence(TAILOR)
    applicant = {**application()["applicant"], "name": "李四", "id_number": ELDER}
    business = {"name": TAILOR.name, "uscc": TAILOR.uscc}
    body = application(
        items=["employment_certificate", "startup_subsidy"],
        pension=None,
        applicant=applicant,
        business=business,
    )
    case_id = json.loads(submit(client, body, sub=ELDER).body)["id"]
    view = settle(pump, client, case_id, sub=ELDER)
    # The certificate's condition is working age now (附件3 四（二）1③): refused.
    assert item(view, "employment_certificate")["status"] == "refused"
    subsidy = item(view, "startup_subsidy")
    assert subsidy["status"] == "reminder_scheduled", subsidy
    assert subsidy["result"]["reminder_date"] == "2025-06-01"
    response = claim(client, case_id, sub=ELDER)  # and again at the claim: still registration
    assert response.status_code == 200, response.body
    assert json.loads(response.body)["status"] == "claimed"


def _task(case_id: str, client) -> dict:
    tasks = json.loads(client.http.get("/v1/departments/hrss/tasks", headers=OFFICER).body)
    return next(t for t in tasks["tasks"] if t["id"] == f"{case_id}.startup_subsidy")


def test_the_claim_review_shows_what_the_system_verified_and_what_rests_on_the_applicant(
    client, pump, clock
):
    case_id, _ = finished_subsidy_case(client, pump)
    evidence = upload(client, purpose="category_evidence")
    assert claim(client, case_id, materials=[evidence]).status_code == 200
    review = _task(case_id, client)["review"]
    assert review["flags"] == []
    bases = {c["code"]: c["basis"] for c in review["conditions"]}
    assert bases == {
        "working_age": "system",
        "first_startup": "declaration",
        "category": "evidence",
        "not_employed_when_starting": "declaration",
        "operating_one_year": "system",
        "once_per_person": "system",
    }
    assert item(case(client, case_id), "startup_subsidy")["review"] is None  # not the applicant's
    officer_view = json.loads(client.http.get(f"/v1/applications/{case_id}", headers=OFFICER).body)
    assert item(officer_view, "startup_subsidy")["review"] == review

    refused = subsidy_decision(client, case_id, approve=False, reason="人员类别证明材料与申报不符")
    assert refused.status_code == 200, refused.body
    subsidy = item(case(client, case_id), "startup_subsidy")
    assert subsidy["status"] == "rejected"
    assert subsidy["result"]["reason"] == "人员类别证明材料与申报不符"


def test_a_claim_without_category_evidence_is_flagged_to_the_officer(client, pump, clock):
    case_id, _ = finished_subsidy_case(client, pump)
    assert claim(client, case_id).status_code == 200  # a claim material, no category proof
    review = _task(case_id, client)["review"]
    assert [f["code"] for f in review["flags"]] == ["subsidy.category_evidence_missing"]
    category = next(c for c in review["conditions"] if c["code"] == "category")
    assert (category["basis"], category["met"]) == ("declaration", None)


def test_a_possible_second_grant_under_another_document_is_flagged_not_paid_silently(
    client, pump, clock, departments
):
    first, _ = finished_subsidy_case(client, pump)  # 张三's citizen ID card
    assert json.loads(claim(client, first).body)["status"] == "claimed"
    assert subsidy_decision(client, first).status_code == 200

    departments.put_licence(NOODLES)
    applicant = {
        **application()["applicant"],
        "id_type": "hkmt_residence_permit",
        "id_number": PERMIT,
    }
    second, _ = finished_subsidy_case(
        client,
        pump,
        sub=PERMIT,
        applicant=applicant,
        business={"name": NOODLES.name, "uscc": NOODLES.uscc},
    )
    response = claim(client, second, sub=PERMIT)
    assert json.loads(response.body)["status"] == "claimed"  # not refused: the officer checks
    flags = _task(second, client)["review"]["flags"]
    second_grant = next(f for f in flags if f["code"] == "subsidy.possible_second_grant")
    assert second_grant["applications"] == [first]
    assert "其他证件" in second_grant["text"]
    officer_view = json.loads(client.http.get(f"/v1/applications/{second}", headers=OFFICER).body)
    assert item(officer_view, "startup_subsidy")["review"]["flags"] == flags
    assert item(case(client, second, sub=PERMIT), "startup_subsidy")["review"] is None

    # The match is found by a keyed hash: neither the name nor the birth date is in a key.
    dynamodb = boto3.client("dynamodb", region_name="cn-north-1")
    rows = dynamodb.scan(TableName=os.environ["TABLE_NAME"])["Items"]  # test-only Scan
    matches = [r for r in rows if r["PK"]["S"].startswith("MATCH#")]
    assert len(matches) == 2
    for row in matches:
        text = json.dumps(row, ensure_ascii=False)
        assert "张三" not in text and "1990" not in text and PERMIT not in text
