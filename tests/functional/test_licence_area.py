"""Luoyang only (docs/domain.md §1): the plan serves "在洛阳市行政区域内创办个体工商户的各类人员"
(附件3 一), so a licence registered by an authority outside 洛阳市 (credit code positions 3-8
not 4103xx) is refused at the licence check, with its own reason code and a Chinese reason."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import application, item, settle, submit
from tests.functional.jobs import notifications

ZHENGZHOU_OPERATOR = "41010519920412123X"  # the demo registry's 郑州市金水区示例面馆
NOODLES = {"name": "郑州市金水区示例面馆", "uscc": "92410105MA9CH7Q36T"}


def test_a_business_registered_outside_luoyang_is_refused_at_the_licence_check(
    client, pump, departments
):
    applicant = {
        **application()["applicant"],
        "id_number": ZHENGZHOU_OPERATOR,
        "address": "郑州市金水区示例路1号",
    }
    body = application(
        items=["license_verification", "taxpayer_confirmation", "employment_certificate"],
        applicant=applicant,
        business=NOODLES,
        pension=None,
        subsidy=None,
    )
    response = submit(client, body, sub=ZHENGZHOU_OPERATOR)
    assert response.status_code == 202, response.body  # the form itself is in order

    view = settle(pump, client, json.loads(response.body)["id"], sub=ZHENGZHOU_OPERATOR)

    assert view["status"] == "rejected"
    licence = item(view, "license_verification")
    assert licence["status"] == "refused"
    assert licence["result"]["reason_code"] == "licence.outside_luoyang"
    assert "不在洛阳市" in licence["result"]["reason"] and "410105" in licence["result"]["reason"]
    assert {i["status"] for i in view["items"][1:]} == {"not_handled"}
    assert departments.registrations() == []  # no department registered anything
    told = notifications(client, bearer("applicant", ZHENGZHOU_OPERATOR))
    assert any("不在洛阳市" in n["text"] for n in told)
    certificates = client.http.get(
        "/v1/me/certificates", headers=bearer("applicant", ZHENGZHOU_OPERATOR)
    )
    assert json.loads(certificates.body)["certificates"] == []
