"""Small CloudFormation helpers. Every ARN is built with ``${AWS::Partition}`` and the stack's
own region and account: the service runs in AWS China (partition ``aws-cn``)."""

from __future__ import annotations

from typing import Any

from chalice.utils import to_cfn_resource_name

Node = dict[str, Any]


def ref(name: str) -> Node:
    return {"Ref": name}


def get_att(resource: str, attribute: str) -> Node:
    return {"Fn::GetAtt": [resource, attribute]}


def sub(text: str) -> Node:
    return {"Fn::Sub": text}


def arn(service: str, resource: str, *, regional: bool = True, account: bool = True) -> Node:
    region = "${AWS::Region}" if regional else ""
    owner = "${AWS::AccountId}" if account else ""
    return sub(f"arn:${{AWS::Partition}}:{service}:{region}:{owner}:{resource}")


def secret_arn(parameter: str) -> Node:
    """The ARN of the Secrets Manager secret named by a template parameter (Secrets Manager
    ends a secret's ARN in six random characters after its name)."""
    return arn("secretsmanager", f"secret:${{{parameter}}}-??????")


def logical_id(name: str, suffix: str = "") -> str:
    """The logical id Chalice gives a name (``license_verification`` -> ``LicenseVerification``)."""
    return to_cfn_resource_name(name) + suffix


def checkov_skips(*reasons: tuple[str, str]) -> Node:
    """Resource metadata that tells checkov a check does not apply, and why."""
    return {"checkov": {"skip": [{"id": check, "comment": why} for check, why in reasons]}}
