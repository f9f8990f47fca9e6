"""Logs and alarms: one encrypted log group per function and for the API's access log, and
alarms on what needs a person: dead letters, failed executions, open deadline breaches."""

from __future__ import annotations

from chalicelib import metrics
from chalicelib.sms_queue import SMS_DEAD_LETTER_QUEUE
from chalicelib.workflow.queues import DEAD_LETTER_QUEUE
from infra import ids
from infra.cfn import Node, get_att, ref, sub
from infra.functions import Function
from infra.storage import RETAIN

# The custom metrics, logged by the jobs in the embedded metric format (no IAM permission):
# deadline breaches flagged, and next year's holiday data missing from 1 November.
BREACH_NAMESPACE = metrics.NAMESPACE
BREACH_METRIC = metrics.BREACHES_FLAGGED  # emitted by the breach job (EMF log line)
CALENDAR_METRIC = metrics.NEXT_YEAR_HOLIDAYS_MISSING  # emitted by the calendar-check job
FIVE_MINUTES = 300
ONE_DAY = 86400  # the calendar-check job runs once a day: a day's period always holds its run
# The AWS managed policy API Gateway's account-wide logging role is documented with: the role
# serves every API of the account and region, so it cannot be narrowed to this stack's groups.
API_LOGS_POLICY = "AmazonAPIGatewayPushToCloudWatchLogs"


def log_group(**properties: Node) -> Node:
    """Encrypted, kept for the chosen days, and kept when the stack goes (the law's six
    months of network logs outlive a deletion)."""
    return {
        "Type": "AWS::Logs::LogGroup",
        **RETAIN,
        "Properties": {
            **properties,
            "RetentionInDays": ref(ids.LOG_RETENTION),
            "KmsKeyId": get_att(ids.KEY, "Arn"),
        },
    }


def log_groups(functions: tuple[Function, ...]) -> dict[str, Node]:
    groups = {function.log_group_id: log_group() for function in functions}
    groups[ids.API_ACCESS_LOGS] = log_group()
    return groups


def _alarm(description: str, metric: Node, periods: int = 1) -> Node:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            **metric,
            "EvaluationPeriods": periods,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [ref(ids.ALARM_TOPIC)],
            "OKActions": [ref(ids.ALARM_TOPIC)],
        },
    }


def _metric(namespace: str, name: str, statistic: str, period: int, **dimensions: Node) -> Node:
    return {
        "Namespace": namespace,
        "MetricName": name,
        "Statistic": statistic,
        "Period": period,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
    }


def alarms() -> dict[str, Node]:
    dead_letters = get_att(ids.queue_id(DEAD_LETTER_QUEUE), "QueueName")
    return {
        "DeadLettersArrivedAlarm": _alarm(
            "An item handler failed every delivery: its task was failed and needs a person.",
            _metric(
                "AWS/SQS", "NumberOfMessagesReceived", "Sum", FIVE_MINUTES, QueueName=dead_letters
            ),
        ),
        "DeadLettersWaitingAlarm": _alarm(
            "Dead letters are waiting for 15 minutes: the dead-letter handler is failing too.",
            _metric(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "Maximum",
                FIVE_MINUTES,
                QueueName=dead_letters,
            ),
            periods=3,
        ),
        "ExecutionsFailedAlarm": _alarm(
            "A joint case's workflow execution failed (items fail inside it, cases should not).",
            _metric(
                "AWS/States",
                "ExecutionsFailed",
                "Sum",
                FIVE_MINUTES,
                StateMachineArn=ref(ids.STATE_MACHINE),
            ),
        ),
        "SmsDeadLettersAlarm": _alarm(
            "An SMS message failed every delivery (its sender kept failing): see the SMS "
            "sender's log; the notification's SMS stays held until it is looked into.",
            _metric(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "Maximum",
                FIVE_MINUTES,
                QueueName=get_att(ids.queue_id(SMS_DEAD_LETTER_QUEUE), "QueueName"),
            ),
        ),
        "OpenBreachesAlarm": _alarm(
            "Cases, items or call-backs went past their statutory deadline in the last hour.",
            _metric(BREACH_NAMESPACE, BREACH_METRIC, "Sum", 3600),
        ),
        "NextYearHolidaysMissingAlarm": _alarm(
            "It is November or later and next year's official holiday data is not loaded: "
            "deadlines reaching into that year are provisional. Load the State Council's "
            "notice (PUT /v1/admin/calendar/{year}), then run recompute-provisional.",
            _metric(BREACH_NAMESPACE, CALENDAR_METRIC, "Maximum", ONE_DAY),
        ),
    }


def api_gateway_account() -> dict[str, Node]:
    """API Gateway writes access logs through one role per account and region (a regional
    setting of the account, which this stack takes over)."""
    managed = sub(f"arn:${{AWS::Partition}}:iam::aws:policy/service-role/{API_LOGS_POLICY}")
    trust = {
        "Effect": "Allow",
        "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    return {
        "ApiGatewayCloudWatchRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
                "ManagedPolicyArns": [managed],
            },
        },
        "ApiGatewayAccount": {
            "Type": "AWS::ApiGateway::Account",
            "Properties": {"CloudWatchRoleArn": get_att("ApiGatewayCloudWatchRole", "Arn")},
        },
    }
