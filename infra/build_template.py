"""Write the merge template for ``chalice package --merge-template`` and the per-function IAM
policy files Chalice attaches, all from the app and the shared definitions.

    python -m infra.build_template build/merge-template.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from infra import chalice_config, ids, kms, operations, patches, policies, sms, storage, workflow
from infra.cfn import Node, get_att, ref
from infra.functions import Function, functions

POLICY_FOLDER = Path(".chalice")
LOG_RETENTION_DAYS = [180, 365, 731, 1827, 3653]  # at least the legal six months


def parameters() -> dict[str, Node]:
    return _parameters() | sms.parameters()


def _parameters() -> dict[str, Node]:
    return {
        ids.SECRET_NAME: {
            "Type": "String",
            "Default": "yijianshi/prod",
            "Description": (
                "Secrets Manager secret (JSON) holding PERSON_KEY_SECRET, FORM_DIGEST_SECRET "
                "and PHONE_KEY_SECRET"
            ),
        },
        ids.LOG_RETENTION: {
            "Type": "Number",
            "Default": LOG_RETENTION_DAYS[0],
            "AllowedValues": LOG_RETENTION_DAYS,
            "Description": "Days to keep function, API access and workflow logs",
        },
        ids.API_RATE: {
            "Type": "Number",
            "Default": 50,
            "MinValue": 1,
            "Description": "Steady requests per second the API stage accepts",
        },
        ids.API_BURST: {
            "Type": "Number",
            "Default": 100,
            "MinValue": 1,
            "Description": "Requests the API stage accepts in a burst",
        },
        ids.AUTH_JWKS: {
            "Type": "String",
            "Description": "The token issuer's public signing keys, a JWKS document (JSON)",
        },
        ids.AUTH_ISSUER: {
            "Type": "String",
            "Description": "The tokens' issuer (iss) the API accepts",
        },
        ids.AUTH_AUDIENCE: {
            "Type": "String",
            "Default": "yijianshi-api",
            "Description": "The tokens' audience (aud) the API accepts",
        },
        **{
            name: {
                "Type": "String",
                "Default": "",
                "Description": f"The gateway's base URL (https) for the {department} systems; "
                "empty: its items wait, then fail to a person",
            }
            for department, name in ids.GATEWAY_URLS.items()
        },
        ids.GATEWAY_SECRET_NAME: {
            "Type": "String",
            "Default": "yijianshi/prod/gateway",
            "Description": "Secrets Manager secret (JSON: app_id, secret) signing gateway calls",
        },
    }


def outputs() -> dict[str, Node]:
    values = {
        "TableName": ref(ids.TABLE),
        "StateMachineArn": ref(ids.STATE_MACHINE),
        "NotificationTopicArn": ref(ids.TOPIC),
        "AlarmTopicArn": ref(ids.ALARM_TOPIC),
        "UploadsBucketName": ref(ids.BUCKET),
        "DataKeyArn": get_att(ids.KEY, "Arn"),
        "FieldKeyArn": get_att(ids.FIELD_KEY, "Arn"),
    }
    return {name: {"Value": value} for name, value in values.items()}


def resources(app_functions: tuple[Function, ...]) -> dict[str, Node]:
    found: dict[str, Node] = {}
    for part in (
        kms.key(),
        kms.field_key(),
        storage.table(),
        storage.queues(),
        storage.topics(),
        storage.buckets(),
        sms.resources(),
        workflow.state_machine(),
        operations.log_groups(app_functions),
        operations.alarms(),
        operations.api_gateway_account(),
        patches.api_patch(),
        patches.gateway_responses(),
        {f.logical_id: patches.function_patch(f) for f in app_functions},
        {k: v for f in app_functions for k, v in patches.role_patch(f).items()},
    ):
        clashes = found.keys() & part.keys()
        if clashes:
            raise ValueError(f"logical ids defined twice: {sorted(clashes)}")
        found.update(part)
    return found


def merge_template(app_functions: tuple[Function, ...] | None = None) -> Node:
    chosen = functions() if app_functions is None else app_functions
    return {
        "Description": "个人创业一件事 (yijianshi): joint-case back end for AWS China",
        "Parameters": parameters(),
        "Resources": resources(chosen),
        "Outputs": outputs(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="where to write the merge template")
    parser.add_argument("--policies", type=Path, default=POLICY_FOLDER)
    args = parser.parse_args(argv)
    app_functions = functions()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(merge_template(app_functions), indent=2, ensure_ascii=False)
    args.out.write_text(text + "\n", "utf-8")
    for path in policies.write_policies(app_functions, args.policies):
        print(f"updated {path}", file=sys.stderr)
    if chalice_config.write(app_functions):
        print(f"updated {chalice_config.CONFIG}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
