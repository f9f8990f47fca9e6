"""Who may use the keys, as packaged: the field key's data use only by the function roles that
seal or open personal fields, one case at a time (the encryption context names it), and its
administrators without data use; the stack key's CloudWatch principal only for this account's
alarms; listing the bucket only under the service's two prefixes."""

from __future__ import annotations

import json
from typing import Any

from infra import ids
from tests.infra.conftest import PROJECT
from tests.infra.helpers import Template, as_list

DATA_USE = {"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey", "kms:*"}


def _statements(template: Template, key: str) -> dict[str, dict[str, Any]]:
    policy = template["Resources"][key]["Properties"]["KeyPolicy"]
    return {s["Sid"]: s for s in policy["Statement"]}


def _roles(statement: dict[str, Any]) -> set[str]:
    arns = statement["Condition"]["ArnEquals"]["aws:PrincipalArn"]
    return {a["Fn::Sub"].rsplit("}-", 1)[1] for a in arns}


def test_the_field_key_is_used_only_by_the_roles_that_need_it_one_case_at_a_time(
    packaged: Template,
) -> None:
    found = _statements(packaged, ids.FIELD_KEY)
    admin = found["AdministratorsManageTheKeyWithoutUsingIt"]
    assert not DATA_USE & set(as_list(admin["Action"]))
    assert not any(
        a.startswith(("kms:Decrypt", "kms:Encrypt", "kms:Generate")) for a in admin["Action"]
    )
    seal = found["FunctionsSealPersonalFieldsOfOneCase"]
    open_ = found["FunctionsOpenPersonalFieldsOfOneCase"]
    assert (seal["Action"], _roles(seal)) == (["kms:GenerateDataKey"], {"api_handler"})
    assert open_["Action"] == ["kms:Decrypt"]
    assert "api_handler" in _roles(open_) and "bearer_token" not in _roles(open_)
    assert not {"record_outcome", "dead_letters", "deadline_breaches"} & _roles(open_)
    for statement in (seal, open_):
        condition = statement["Condition"]
        assert condition["StringEquals"]["kms:EncryptionContext:service"] == "yijianshi"
        assert condition["Null"] == {"kms:EncryptionContext:case": "false"}
    names = {
        r["Properties"].get("RoleName", {}).get("Fn::Sub")
        for r in packaged["Resources"].values()
        if r["Type"] == "AWS::IAM::Role"
    }
    assert {f"${{AWS::StackName}}-{n}" for n in _roles(open_)} <= names  # the named roles exist


def test_cloudwatch_uses_the_stack_key_only_for_this_accounts_alarms(packaged: Template) -> None:
    alarms = _statements(packaged, ids.KEY)["AlarmsPublishToTheEncryptedAlarmTopic"]
    assert alarms["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert "alarm:*" in alarms["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]


def test_listing_the_bucket_is_limited_to_the_services_prefixes() -> None:
    policy = json.loads((PROJECT / ".chalice" / "policy-api_handler.json").read_text("utf-8"))
    listing = next(s for s in policy["Statement"] if s["Sid"] == "ListDocuments")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["uploads/*", "archive/*"]}}


def test_unreferenced_uploads_and_their_older_versions_expire(packaged: Template) -> None:
    rules = packaged["Resources"][ids.BUCKET]["Properties"]["LifecycleConfiguration"]["Rules"]
    rule = next(r for r in rules if r["Id"] == "ExpireUnreferencedUploads")
    assert rule["Prefix"] == "uploads/"
    assert rule["TagFilters"] == [{"Key": "state", "Value": "unreferenced"}]
    assert rule["ExpirationInDays"] >= 1 and rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
