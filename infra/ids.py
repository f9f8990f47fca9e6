"""Logical ids of the resources the merge template adds (the policies refer to them too)."""

from __future__ import annotations

from infra.cfn import logical_id

KEY = "DataKey"
FIELD_KEY = "FieldKey"  # envelopes of personal fields (chalicelib.integrations.crypto)
TABLE = "Table"
STATE_MACHINE = "StateMachine"
STATE_MACHINE_ROLE = "StateMachineRole"
STATE_MACHINE_LOGS = "StateMachineLogGroup"
TOPIC = "NotificationTopic"
ALARM_TOPIC = "AlarmTopic"
BUCKET = "UploadsBucket"
ACCESS_LOG_BUCKET = "AccessLogBucket"
API_ACCESS_LOGS = "ApiAccessLogGroup"


def queue_id(queue_name: str) -> str:
    """``yjs-license-verification`` -> ``LicenseVerificationQueue``."""
    return logical_id(queue_name.removeprefix("yjs-"), "Queue")


# Parameters of the stack.
LOG_RETENTION = "LogRetentionDays"
SECRET_NAME = "AppSecretName"  # noqa: S105 - a parameter's name, not a secret  # nosec B105
API_RATE = "ApiRateLimit"
API_BURST = "ApiBurstLimit"
# The departments' systems through the province's gateway: a base URL per department, and
# the secret (JSON: app_id, secret) that signs the requests.
GATEWAY_URLS = {
    "market_regulation": "MarketRegulationGatewayUrl",
    "tax": "TaxGatewayUrl",
    "hrss": "HrssGatewayUrl",
}
GATEWAY_SECRET_NAME = "GatewaySecretName"  # noqa: S105 - a parameter's name  # nosec B105
AUTH_JWKS = "AuthJwks"
AUTH_ISSUER = "AuthIssuer"
AUTH_AUDIENCE = "AuthAudience"
