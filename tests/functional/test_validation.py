"""The API refuses a bad application with 422 problem+json, every problem at once (一次告知),
in Chinese, per field with a stable code, and stores nothing (docs/domain.md §3)."""

from __future__ import annotations

import json
import re
from typing import Any

import boto3
import pytest

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain.identity import mod11_2_check_char
from chalicelib.domain.uscc import uscc_check_char
from tests.conftest import bearer
from tests.functional.helpers import application, post, submit

PROBLEM_JSON = "application/problem+json"
CJK = re.compile(r"[\u4e00-\u9fff]")
BASIC = ["license_verification", "taxpayer_confirmation"]


def resident_id(first17: str) -> str:
    return first17 + mod11_2_check_char(first17)


def with_applicant(**changes: Any) -> dict[str, Any]:
    """The example application with applicant fields replaced or removed (None)."""
    applicant = dict(APPLICATION_EXAMPLE["applicant"])
    for key, value in changes.items():
        if value is None:
            applicant.pop(key, None)
        else:
            applicant[key] = value
    return application(applicant=applicant)


def with_section(name: str, **changes: Any) -> dict[str, Any]:
    return application(**{name: {**APPLICATION_EXAMPLE[name], **changes}})


def permit(id_type: str, number: str, **changes: Any) -> dict[str, Any]:
    return with_applicant(id_type=id_type, id_number=number, **changes)


def uscc_with_bad_org_code() -> str:
    # Position 17 (the organisation code's check) altered, position 18 recomputed to match.
    first17 = "92410302MA47K2NQ5"
    return first17 + uscc_check_char(first17)


def stored_rows(aws: Any) -> list[Any]:
    dynamodb = boto3.client("dynamodb", region_name="cn-north-1")
    return dynamodb.scan(TableName=aws.table_name)["Items"]


def assert_nothing_stored(client: Any, aws: Any) -> None:
    assert stored_rows(aws) == []
    mine = client.http.get("/v1/me/applications", headers=bearer())
    assert json.loads(mine.body) == {"applications": []}


def problem_document(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.body
    assert response.headers["Content-Type"] == PROBLEM_JSON
    document = json.loads(response.body)
    assert document["status"] == status
    assert CJK.search(document["detail"])
    return document


def rejected(client: Any, aws: Any, body: dict[str, Any], sub: str | None = None) -> set[Any]:
    """Submit ``body``; assert a 422 with Chinese messages and nothing stored; return the
    reported (field, code) pairs."""
    response = submit(client, body) if sub is None else submit(client, body, sub=sub)
    document = problem_document(response, 422)
    assert document["code"] == "validation_failed"
    assert document["errors"], "a 422 names at least one field"
    for error in document["errors"]:
        assert CJK.search(error["message"]), error
    assert_nothing_stored(client, aws)
    return {(e["field"], e["code"]) for e in document["errors"]}


ID = "applicant.id_number"
BIRTH = "applicant.birth_date"
BASE = "pension.contribution_base"
ACCOUNT = "subsidy.account"
HK = ("hk_macao_permit", "H12345678")
# id: (body, field, code)
RULES: dict[str, tuple[dict[str, Any], str, str]] = {
    "items-empty": (application(items=[]), "items", "too_short"),
    "items-unknown-code": (
        application(items=[*BASIC, "open_account"]),
        "items.2",
        "invalid_choice",
    ),
    "items-duplicate": (
        application(items=[*BASIC, "taxpayer_confirmation"], pension=None, subsidy=None),
        "items",
        "items.duplicate",
    ),
    "id-bad-check-digit": (
        with_applicant(id_number="410302199001019017"),
        ID,
        "id_number.check_digit",
    ),
    "id-impossible-birth-date": (
        with_applicant(id_number=resident_id("41030219900230901")),
        ID,
        "id_number.birth_date",
    ),
    "id-future-birth-date": (
        with_applicant(id_number=resident_id("41030220990101901")),
        ID,
        "id_number.future_birth_date",
    ),
    "id-too-short": (with_applicant(id_number="41030219900101901"), ID, "id_number.format"),
    "id-letter-not-x": (with_applicant(id_number="41030219900101901A"), ID, "id_number.format"),
    "residence-permit-mainland-division": (
        with_applicant(id_type="hkmt_residence_permit"),
        ID,
        "id_number.division",
    ),
    "gender-mismatch": (with_applicant(gender="female"), "applicant.gender", "gender.mismatch"),
    "birth-date-mismatch": (with_applicant(birth_date="1991-01-01"), BIRTH, "birth_date.mismatch"),
    "hk-macao-permit-no-birth-date": (permit(*HK), BIRTH, "required"),
    "taiwan-permit-no-birth-date": (permit("taiwan_permit", "12345678"), BIRTH, "required"),
    "permit-future-birth-date": (permit(*HK, birth_date="2099-01-01"), BIRTH, "birth_date.future"),
    "phone-12x": (with_applicant(phone="12800138000"), "applicant.phone", "phone.format"),
    "phone-landline-short": (
        with_applicant(phone="0379-612345"),
        "applicant.phone",
        "phone.format",
    ),
    "phone-landline-no-area-code": (
        with_applicant(phone="63211234"),
        "applicant.phone",
        "phone.format",
    ),
    "ethnicity": (with_applicant(ethnicity="汉"), "applicant.ethnicity", "ethnicity.unknown"),
    "uscc-bad-check-char": (
        with_section("business", uscc="92410302MA47K2NQ4E"),
        "business.uscc",
        "uscc.check_digit",
    ),
    "uscc-bad-org-code": (
        with_section("business", uscc=uscc_with_bad_org_code()),
        "business.uscc",
        "uscc.org_code_check",
    ),
    "county-zhengzhou": (application(county="410102"), "county", "county.outside_luoyang"),
    "county-jili-merged-2021": (application(county="410306"), "county", "county.unknown"),
    "pension-missing": (application(pension=None), "pension", "required"),
    "pension-not-chosen": (application(items=BASIC, subsidy=None), "pension", "not_applicable"),
    "base-below-minimum": (
        application(pension={"contribution_base": 3755}),
        BASE,
        "pension.base_out_of_range",
    ),
    "base-above-maximum": (
        application(pension={"contribution_base": 18781}),
        BASE,
        "pension.base_out_of_range",
    ),
    "base-string": (application(pension={"contribution_base": "4000"}), BASE, "invalid_type"),
    "subsidy-missing": (application(subsidy=None), "subsidy", "required"),
    "subsidy-not-chosen": (application(items=BASIC, pension=None), "subsidy", "not_applicable"),
    "subsidy-category": (
        with_section("subsidy", category="student"),
        "subsidy.category",
        "invalid_choice",
    ),
    "account-dashes": (
        with_section("subsidy", account="6216-6102-0000"),
        ACCOUNT,
        "account.format",
    ),
    "account-too-short": (
        with_section("subsidy", account="12345678901"),
        ACCOUNT,
        "account.format",
    ),
    "mail-without-address": (
        application(delivery={"method": "mail", "recipient": "张三", "phone": "13800138000"}),
        "delivery.address",
        "required",
    ),
    "pickup-without-centre": (
        application(delivery={"method": "pickup"}),
        "delivery.service_center",
        "required",
    ),
    "consent-false": (application(consent=False), "consent", "consent.required"),
    "consent-missing": (application(consent=None), "consent", "required"),
    "consent-string": (application(consent="yes"), "consent", "invalid_type"),
    "unknown-top-field": (application(nickname="小张"), "nickname", "unknown_field"),
    "unknown-applicant-field": (
        with_applicant(nickname="小张"),
        "applicant.nickname",
        "unknown_field",
    ),
}
FULL_WIDTH_ACCOUNT = with_section("subsidy", account="６２１６６１０２００００１２３４５６７")


@pytest.mark.parametrize(("body", "field", "code"), list(RULES.values()), ids=list(RULES))
def test_a_broken_rule_is_reported_on_its_field_and_nothing_is_stored(
    client, aws, body, field, code
):
    assert (field, code) in rejected(client, aws, body)


def test_an_account_of_full_width_digits_is_refused(client, aws):
    assert (ACCOUNT, "account.format") in rejected(client, aws, FULL_WIDTH_ACCOUNT)


@pytest.mark.parametrize(
    ("id_type", "number"),
    [("hk_macao_permit", "H12345678"), ("taiwan_permit", "12345678")],
)
def test_a_null_birth_date_on_a_permit_counts_as_missing(client, aws, id_type, number):
    body = permit(id_type, number)
    body["applicant"]["birth_date"] = None
    assert ("applicant.birth_date", "required") in rejected(client, aws, body, sub=number)


@pytest.mark.parametrize(
    ("id_type", "number", "changes"),
    [
        pytest.param(
            "hkmt_residence_permit", resident_id("81000019900101901"), {}, id="hk-residence"
        ),
        pytest.param(
            "hkmt_residence_permit",
            resident_id("83000019920315902"),
            {"gender": "female"},
            id="tw-residence-female",
        ),
        pytest.param("hk_macao_permit", "H1234567801", {"birth_date": "1990-01-01"}, id="hk"),
        pytest.param("taiwan_permit", "12345678", {"birth_date": "1990-01-01"}, id="taiwan"),
        pytest.param("resident_id_card", "41030219900101169x", {}, id="lowercase-x"),
    ],
)
def test_valid_documents_pass_validation(client, id_type, number, changes):
    body = permit(id_type, number, **changes)
    response = submit(client, body, sub=number)
    assert response.status_code == 202, response.body


def test_every_problem_is_reported_in_one_response(client, aws):
    body = application(
        items=["license_verification", "pension_registration", "open_bank_account"],
        applicant={
            **APPLICATION_EXAMPLE["applicant"],
            "id_number": "410302199001019017",
            "phone": "12800138000",
            "ethnicity": "汉",
            "nickname": "小张",
        },
        business={"name": "洛阳市老城区示例小吃店", "uscc": "92410302MA47K2NQ4E"},
        pension={"contribution_base": 100},
        subsidy={"category": "student", "bank": "中国银行", "account": "6216-6102"},
        delivery={"method": "pickup"},
        consent=False,
        county="410102",
    )
    reported = rejected(client, aws, body)
    assert reported >= {
        ("items.2", "invalid_choice"),
        ("applicant.id_number", "id_number.check_digit"),
        ("applicant.phone", "phone.format"),
        ("applicant.ethnicity", "ethnicity.unknown"),
        ("applicant.nickname", "unknown_field"),
        ("business.uscc", "uscc.check_digit"),
        ("pension.contribution_base", "pension.base_out_of_range"),
        ("subsidy.category", "invalid_choice"),
        ("subsidy", "not_applicable"),
        ("subsidy.account", "account.format"),
        ("delivery.service_center", "required"),
        ("consent", "consent.required"),
        ("county", "county.outside_luoyang"),
    }


def raw_post(client: Any, body: str, content_type: str) -> Any:
    headers = {"Content-Type": content_type, **bearer()}
    return client.http.post("/v1/applications", headers=headers, body=body)


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        pytest.param('{"items": [', "application/json", "malformed_json", id="truncated"),
        pytest.param("", "application/json", "malformed_json", id="empty"),
        pytest.param("[1, 2]", "application/json", "malformed_json", id="array"),
        pytest.param('"text"', "application/json", "malformed_json", id="string"),
        pytest.param(
            json.dumps(APPLICATION_EXAMPLE), "text/plain", "unsupported_media_type", id="text"
        ),
        pytest.param(
            json.dumps(APPLICATION_EXAMPLE),
            "application/x-www-form-urlencoded",
            "unsupported_media_type",
            id="form",
        ),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_bad_request(client, aws, body, content_type, code):
    document = problem_document(raw_post(client, body, content_type), 400)
    assert document["code"] == code
    assert_nothing_stored(client, aws)


def test_a_json_array_of_the_application_is_a_bad_request(client, aws):
    response = post(client, "/v1/applications", [APPLICATION_EXAMPLE], bearer())
    assert problem_document(response, 400)["code"] == "malformed_json"
    assert_nothing_stored(client, aws)


def test_json_with_a_charset_parameter_is_accepted(client):
    body = json.dumps(APPLICATION_EXAMPLE, ensure_ascii=False)
    response = raw_post(client, body, "application/json; charset=utf-8")
    assert response.status_code == 202, response.body
