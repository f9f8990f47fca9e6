"""The functions as packaged: wired to the stack's resources, their SQS batches reporting
partial failures, their timeouts fitting the queues, and the API stage throttled and logged."""

from __future__ import annotations

import json

from chalice.test import Client

from chalicelib import settings
from chalicelib.workflow.queues import VISIBILITY_TIMEOUT_S
from devtools.provision import Resources
from infra import ids, patches
from infra.functions import Function
from tests.infra.conftest import PROJECT
from tests.infra.helpers import Template, get_att_target

# AWS's advice for SQS event sources: a visibility timeout of at least six function timeouts,
# so a batch is not delivered again while a slow invocation still works on it.
VISIBILITY_PER_TIMEOUT = 6


def test_every_function_gets_the_stacks_resources_in_its_environment(
    packaged: Template, app_functions: tuple[Function, ...]
) -> None:
    for function in app_functions:
        env = packaged["Resources"][function.logical_id]["Properties"]["Environment"]["Variables"]
        assert settings.ENV_AUTH_JWT_SECRET not in env  # the shared HS256 secret is local only
        assert env[settings.ENV_STAGE] == "prod"
        if function.authorizer:  # verifies tokens against the stage's keys, touches nothing
            assert env[settings.ENV_AUTH_JWKS] == {"Ref": ids.AUTH_JWKS}
            assert env[settings.ENV_AUTH_ISSUER] == {"Ref": ids.AUTH_ISSUER}
            assert env[settings.ENV_AUTH_AUDIENCE] == {"Ref": ids.AUTH_AUDIENCE}
            assert settings.ENV_TABLE_NAME not in env
            continue
        assert settings.ENV_AUTH_JWKS not in env
        assert env[settings.ENV_TABLE_NAME] == {"Ref": ids.TABLE}
        assert env[settings.ENV_STATE_MACHINE_ARN] == {"Ref": ids.STATE_MACHINE}
        assert env[settings.ENV_TOPIC_ARN] == {"Ref": ids.TOPIC}
        assert env[patches.UPLOADS_BUCKET] == {"Ref": ids.BUCKET}


def test_only_the_functions_that_derive_person_keys_hold_the_secret(
    packaged: Template, app_functions: tuple[Function, ...]
) -> None:
    holders, digest, phones = set(), set(), set()
    for function in app_functions:
        env = packaged["Resources"][function.logical_id]["Properties"]["Environment"]["Variables"]
        if settings.ENV_PERSON_KEY_SECRET in env:
            assert "resolve:secretsmanager" in env[settings.ENV_PERSON_KEY_SECRET]["Fn::Sub"]
            holders.add(function.name)
        if settings.ENV_FORM_DIGEST_SECRET in env:
            digest.add(function.name)
        if settings.ENV_PHONE_KEY_SECRET in env:
            phones.add(function.name)
    assert holders == {"api_handler", "bearer_token", "license_verification"}
    assert digest == {"api_handler"}
    assert phones == {"api_handler", "sms_sender"}  # the sender keys phones, never persons


def test_every_function_logs_to_its_own_group_and_encrypts_its_environment(
    packaged: Template, app_functions: tuple[Function, ...]
) -> None:
    groups = set()
    for function in app_functions:
        properties = packaged["Resources"][function.logical_id]["Properties"]
        groups.add(properties["LoggingConfig"]["LogGroup"]["Ref"])
        assert get_att_target(properties["KmsKeyArn"]) == ids.KEY
    assert len(groups) == len(app_functions)


def test_sqs_event_sources_report_partial_batch_failures(
    packaged: Template, app_functions: tuple[Function, ...]
) -> None:
    consumers = [f for f in app_functions if f.queue]
    assert consumers
    for function in consumers:
        resource = packaged["Resources"][function.logical_id]
        [event] = resource["Properties"]["Events"].values()
        assert event["Type"] == "SQS"
        assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert event["Properties"]["Queue"]["Fn::Sub"].endswith(f":{function.queue}")
        assert resource["DependsOn"] == [ids.queue_id(str(function.queue))]


def test_sqs_function_timeouts_fit_the_queues_visibility_timeout(
    packaged: Template, app_functions: tuple[Function, ...]
) -> None:
    for function in app_functions:
        if function.queue:
            timeout = packaged["Resources"][function.logical_id]["Properties"]["Timeout"]
            assert timeout * VISIBILITY_PER_TIMEOUT <= VISIBILITY_TIMEOUT_S, function.name


def test_api_is_regional_throttled_and_access_logged(packaged: Template) -> None:
    api = packaged["Resources"]["RestAPI"]["Properties"]
    assert api["EndpointConfiguration"] == "REGIONAL"
    [settings_for_all] = api["MethodSettings"]
    assert (settings_for_all["ResourcePath"], settings_for_all["HttpMethod"]) == ("/*", "*")
    assert settings_for_all["ThrottlingRateLimit"] == {"Ref": ids.API_RATE}
    assert settings_for_all["ThrottlingBurstLimit"] == {"Ref": ids.API_BURST}
    assert get_att_target(api["AccessLogSetting"]["DestinationArn"]) == ids.API_ACCESS_LOGS
    assert json.loads(api["AccessLogSetting"]["Format"].replace("$context.", ""))


def test_item_handler_reports_only_the_failed_message_of_a_batch(aws: Resources) -> None:
    # Given a batch: a task for a case that does not exist, and a body nobody can read
    import app

    batch = {
        "Records": [
            _record("m-missing-case", {"case_id": "NOPE", "item": "x", "task_token": "t"}),
            _record("m-unreadable", "not json"),
        ]
    }
    # When the licence handler gets it
    with Client(app.app, stage_name="local", project_dir=str(PROJECT)) as client:
        reply = client.lambda_.invoke("license_verification", batch).payload
    # Then only the message that may succeed on redelivery comes back; the unreadable one is
    # dropped (it never will)
    assert reply == {"batchItemFailures": [{"itemIdentifier": "m-missing-case"}]}


def _record(message_id: str, body: object) -> dict[str, object]:
    return {
        "messageId": message_id,
        "receiptHandle": f"rh-{message_id}",
        "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws-cn:sqs:cn-north-1:123456789012:yjs-license-verification",
        "awsRegion": "cn-north-1",
    }
