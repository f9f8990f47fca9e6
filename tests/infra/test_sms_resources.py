"""The SMS channel in the template: its queue fed by the notifications topic (raw delivery,
the code's own filter), its dead-letter queue and alarm, the stage's parameters, and a
sender allowed exactly what it needs."""

from __future__ import annotations

import json

import boto3

from chalicelib import settings
from chalicelib.domain.sms_notices import Template as SmsTemplate
from chalicelib.sms_queue import (
    SMS_DEAD_LETTER_QUEUE,
    SMS_FUNCTION,
    SMS_MAX_RECEIVES,
    SMS_QUEUE,
    filter_policy,
)
from devtools.provision import Resources
from infra import ids, policies, sms
from infra.functions import API_HANDLER, Function
from tests.infra.helpers import Template, of_type

QUEUE, DEAD_LETTERS = ids.queue_id(SMS_QUEUE), ids.queue_id(SMS_DEAD_LETTER_QUEUE)


def test_the_sms_queue_is_subscribed_raw_with_the_codes_filter(packaged: Template) -> None:
    (subscription,) = of_type(packaged, "AWS::SNS::Subscription").values()
    properties = subscription["Properties"]
    assert properties["TopicArn"] == {"Ref": ids.TOPIC}
    assert properties["Endpoint"] == {"Fn::GetAtt": [QUEUE, "Arn"]}
    assert properties["RawMessageDelivery"] is True
    assert properties["FilterPolicy"] == filter_policy()
    assert filter_policy()["audience"] == ["applicant"]
    (policy,) = of_type(packaged, "AWS::SQS::QueuePolicy").values()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": ids.TOPIC}}}


def test_the_sms_queue_redrives_to_its_own_dead_letters_watched_by_an_alarm(
    packaged: Template,
) -> None:
    queues = of_type(packaged, "AWS::SQS::Queue")
    redrive = queues[QUEUE]["Properties"]["RedrivePolicy"]
    assert redrive == {
        "deadLetterTargetArn": {"Fn::GetAtt": [DEAD_LETTERS, "Arn"]},
        "maxReceiveCount": SMS_MAX_RECEIVES,
    }
    watched = [
        a["Properties"]["Dimensions"]
        for a in of_type(packaged, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["Namespace"] == "AWS/SQS"
    ]
    assert [{"Name": "QueueName", "Value": {"Fn::GetAtt": [DEAD_LETTERS, "QueueName"]}}] in watched


def test_local_subscription_is_the_deployed_one(aws: Resources) -> None:
    sns = boto3.client("sns", region_name="cn-north-1")
    (found,) = sns.list_subscriptions_by_topic(TopicArn=aws.topic_arn)["Subscriptions"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=found["SubscriptionArn"])
    assert attributes["Attributes"]["RawMessageDelivery"] == "true"
    assert json.loads(attributes["Attributes"]["FilterPolicy"]) == filter_policy()
    assert found["Endpoint"].endswith(f":{SMS_QUEUE}")


def test_each_template_id_is_a_parameter_of_the_senders_environment(packaged: Template) -> None:
    for template in SmsTemplate:
        assert sms.template_parameter(template) in packaged["Parameters"]
    sender = packaged["Resources"]["SmsSender"]["Properties"]["Environment"]["Variables"]
    text = sender[settings.ENV_SMS_TEMPLATES]["Fn::Sub"]
    assert {k: v[2:-1] for k, v in json.loads(text).items()} == {
        t.value: sms.template_parameter(t) for t in SmsTemplate
    }
    assert sender[settings.ENV_SMS_SECRET_NAME] == {"Ref": sms.SECRET_NAME}
    api = packaged["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert api[settings.ENV_SMS_CALLBACK_TOKEN_SHA256] == {"Ref": sms.CALLBACK_DIGEST}
    for name, resource in packaged["Resources"].items():
        variables = resource.get("Properties", {}).get("Environment", {}).get("Variables", {})
        if name != "SmsSender":  # the provider's settings reach the sender alone
            assert settings.ENV_SMS_SECRET_NAME not in variables, name


def test_only_the_sender_reads_the_providers_key_and_holds_messages(
    app_functions: tuple[Function, ...],
) -> None:
    for function in app_functions:
        statements = policies.policy(function)["Statement"]
        actions = {a for s in statements for a in s["Action"]}
        secrets = [
            r
            for s in statements
            if "secretsmanager:GetSecretValue" in s["Action"]
            for r in s["Resource"]
        ]
        sender = function.name == SMS_FUNCTION
        # Item handlers read the gateway's credentials (infra.policies); the provider's key
        # is the sender's alone.
        assert (sms.secret_arn() in secrets) is sender, function.name
        assert ("sqs:ChangeMessageVisibility" in actions) is sender, function.name
    access = policies.access_table()
    # The field key: the API, the sender (the phone), and the item handlers that check ages.
    assert access[SMS_FUNCTION].personal == "open"
    assert access[API_HANDLER].personal == "seal"
