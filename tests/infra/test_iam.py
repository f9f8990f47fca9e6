"""Least privilege, read from the packaged template: each function has its own role with its
generated policy, nothing grants ``*`` where IAM knows a narrower resource, and the state
machine may only send to its queues and write its logs."""

from __future__ import annotations

import json
from typing import Any

from cfnlint.data import AdditionalSpecs
from cfnlint.helpers import load_resource

from chalicelib.workflow.queues import queues
from infra import chalice_config, ids, operations, policies
from infra.build_template import POLICY_FOLDER
from infra.functions import Function
from infra.workflow import LOG_DELIVERY_ACTIONS
from tests.infra.conftest import PROJECT
from tests.infra.helpers import Template, as_list, get_att_target, of_type

# The IAM reference (as cfn-lint ships it): which resource types each action can be limited to.
IAM_REFERENCE: dict[str, Any] = load_resource(AdditionalSpecs, "Policies.json")


def _resource_types(action: str) -> list[str]:
    service, _, name = action.lower().partition(":")
    return list(IAM_REFERENCE[service]["Actions"][name].get("Resources", []))


def _identity_statements(template: Template) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, role in of_type(template, "AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            found += [(name, s) for s in policy["PolicyDocument"]["Statement"]]
    for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for name, policy in of_type(template, kind).items():
            found += [(name, s) for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    return found


def _text(resource: Any) -> str:
    if isinstance(resource, str):
        return resource
    if "Fn::Sub" in resource:
        return str(resource["Fn::Sub"])
    return json.dumps(resource)  # Ref / GetAtt: one named resource, never a wildcard


def _too_broad(actions: list[str], resource: Any) -> str | None:
    text = _text(resource)
    if text == "*":
        narrower = [a for a in actions if _resource_types(a)]
        return f"{narrower} on *, though IAM can name their resources" if narrower else None
    if "*" not in text:
        return None
    # Allowed: everything under one named parent, e.g. ${Bucket.Arn}/uploads/* (objects),
    # execution:${StateMachine.Name}:* (a case's execution is named after the case).
    under_named_parent = text.endswith(("/*", ":*")) and "*" not in text[:-1] and "${" in text
    return None if under_named_parent else f"wildcard in {text}"


def test_no_identity_policy_grants_a_wildcard_where_a_narrower_one_exists(
    packaged: Template,
) -> None:
    problems = []
    for owner, statement in _identity_statements(packaged):
        actions = as_list(statement["Action"])
        problems += [f"{owner}: action {a}" for a in actions if "*" in a]
        for resource in as_list(statement["Resource"]):
            problem = _too_broad(actions, resource)
            if problem:
                problems.append(f"{owner}: {problem}")
    assert problems == []


def test_only_api_gateways_account_logging_role_uses_a_managed_policy(packaged: Template) -> None:
    managed = {
        name: role["Properties"]["ManagedPolicyArns"]
        for name, role in of_type(packaged, "AWS::IAM::Role").items()
        if role["Properties"].get("ManagedPolicyArns")
    }
    assert list(managed) == ["ApiGatewayCloudWatchRole"]
    [policy] = managed["ApiGatewayCloudWatchRole"]
    assert policy["Fn::Sub"].endswith(f"policy/service-role/{operations.API_LOGS_POLICY}")


def test_each_function_has_a_role_of_its_own_with_its_generated_policy(
    packaged: Template, app_functions: tuple[Function, ...]
) -> None:
    resources = packaged["Resources"]
    roles = {
        f.name: get_att_target(resources[f.logical_id]["Properties"]["Role"]) for f in app_functions
    }
    assert len(set(roles.values())) == len(app_functions)
    for function in app_functions:
        [policy] = resources[roles[function.name]]["Properties"]["Policies"]
        assert policy["PolicyDocument"] == policies.policy(function)


def test_committed_policy_files_are_the_generated_ones(app_functions: tuple[Function, ...]) -> None:
    for function in app_functions:
        path = PROJECT / POLICY_FOLDER / policies.policy_file(function)
        assert path.read_text("utf-8") == policies.render(function), f"run make package: {path}"


def test_committed_chalice_config_is_the_generated_one(app_functions: tuple[Function, ...]) -> None:
    path = PROJECT / ".chalice" / "config.json"
    current = path.read_text("utf-8")
    assert chalice_config.render(app_functions, current) == current, "run make package"


def test_prod_stage_gives_every_function_its_policy_memory_and_timeout(
    app_functions: tuple[Function, ...],
) -> None:
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text("utf-8"))
    prod = config["stages"]["prod"]
    assert prod["autogen_policy"] is False
    assert prod["api_gateway_endpoint_type"] == "REGIONAL"  # no edge-optimized APIs in China
    assert set(prod["lambda_functions"]) == {f.name for f in app_functions}
    assert set(policies.access_table()) == {f.name for f in app_functions}
    for function in app_functions:
        settings = prod["lambda_functions"][function.name]
        assert settings["iam_policy_file"] == policies.policy_file(function)
        assert settings["lambda_timeout"] > 0


def test_state_machine_role_only_sends_to_its_queues_and_writes_its_logs(
    packaged: Template,
) -> None:
    role = packaged["Resources"][ids.STATE_MACHINE_ROLE]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "states.amazonaws.com"}
    granted: dict[str, list[Any]] = {}
    for statement in role["Policies"][0]["PolicyDocument"]["Statement"]:
        for action in as_list(statement["Action"]):
            granted.setdefault(action, []).extend(as_list(statement["Resource"]))
    sends_to = {get_att_target(r) for r in granted.pop("sqs:SendMessage")}
    assert sends_to == {ids.queue_id(spec.name) for spec in queues()}  # not the dead letters
    # The queues are encrypted: sending to them uses the key, and nothing else does.
    assert (
        granted.pop("kms:GenerateDataKey")
        == granted.pop("kms:Decrypt")
        == [{"Fn::GetAtt": [ids.KEY, "Arn"]}]
    )
    assert set(granted) == set(LOG_DELIVERY_ACTIONS)
