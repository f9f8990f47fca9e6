"""Configuration: explicit argument over environment variable over default.

Every environment variable name lives here. Values marked *unverified* in docs/domain.md are
configuration with a dated default, never constants buried in code.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache

ENV_TABLE_NAME = "TABLE_NAME"
ENV_STATE_MACHINE_ARN = "STATE_MACHINE_ARN"
ENV_AUTH_JWT_SECRET = "AUTH_JWT_SECRET"  # noqa: S105 - the variable's name, not a secret  # nosec B105
ENV_PERSON_KEY_SECRET = "PERSON_KEY_SECRET"  # noqa: S105 - a name, not a secret  # nosec B105
# HMAC key of the form digest (idempotency, resubmission): the API's alone.
ENV_FORM_DIGEST_SECRET = "FORM_DIGEST_SECRET"  # noqa: S105 - a name, not a secret  # nosec B105
ENV_PHONE_KEY_SECRET = "PHONE_KEY_SECRET"  # noqa: S105 - a name, not a secret  # nosec B105
ENV_AUTH_JWKS = "AUTH_JWKS"  # the stage's token-signing public keys, a JWKS document (JSON)
ENV_AUTH_ISSUER = "AUTH_ISSUER"
ENV_AUTH_AUDIENCE = "AUTH_AUDIENCE"
ENV_PENSION_BASE_MIN = "PENSION_BASE_MIN"
ENV_PENSION_BASE_MAX = "PENSION_BASE_MAX"
ENV_FEMALE_RETIREMENT_AGE = "FEMALE_ORIGINAL_RETIREMENT_AGE"
ENV_STAGE = "STAGE"
ENV_TOPIC_ARN = "NOTIFY_TOPIC_ARN"
ENV_FOLLOW_UP_DAYS = "FOLLOW_UP_WORKING_DAYS"
ENV_CALENDAR_TTL_S = "CALENDAR_CACHE_SECONDS"
ENV_UPLOADS_BUCKET = "UPLOADS_BUCKET"
ENV_FEED_SETTLE_S = "FEED_SETTLE_SECONDS"
ENV_NOTICE_WORKING_DAYS = "SUBSIDY_NOTICE_WORKING_DAYS"
ENV_FIELD_KEY_ID = "FIELD_KEY_ID"  # KMS key (id, ARN or alias) of the personal-field envelopes
ENV_FIELD_DATA_KEY_TTL_S = "FIELD_DATA_KEY_TTL_SECONDS"
ENV_FIELD_DATA_KEY_MAX_USES = "FIELD_DATA_KEY_MAX_USES"
# The departments' systems, through the province's gateway (integrations.gateway): a base URL
# per department, and the Secrets Manager secret holding the gateway's app id and secret.
ENV_DEPARTMENT_URLS = {
    "market_regulation": "MARKET_REGULATION_GATEWAY_URL",
    "tax": "TAX_GATEWAY_URL",
    "hrss": "HRSS_GATEWAY_URL",
}
ENV_GATEWAY_SECRET = "GATEWAY_SECRET_NAME"  # noqa: S105 - a variable's name  # nosec B105
ENV_CONNECT_TIMEOUT_S = "CONNECTOR_CONNECT_TIMEOUT_SECONDS"
ENV_READ_TIMEOUT_S = "CONNECTOR_READ_TIMEOUT_SECONDS"
ENV_RETRY_BASE_S = "CONNECTOR_RETRY_BASE_SECONDS"
ENV_RETRY_MAX_S = "CONNECTOR_RETRY_MAX_SECONDS"
ENV_MAX_ATTEMPTS = "CONNECTOR_MAX_ATTEMPTS"
# The SMS channel (chalicelib.services.sms): see SmsSettings.
ENV_SMS_QUIET_HOURS = "SMS_QUIET_HOURS"
ENV_SMS_RATE_LIMITS = "SMS_RATE_LIMITS"
ENV_SMS_SIGN_NAME = "SMS_SIGN_NAME"
ENV_SMS_SDK_APP_ID = "SMS_SDK_APP_ID"
ENV_SMS_TEMPLATES = "SMS_TEMPLATES"
ENV_SMS_SECRET_NAME = "SMS_SECRET_NAME"  # noqa: S105 - a name, not a secret  # nosec B105
ENV_SMS_ENDPOINT = "SMS_ENDPOINT"
ENV_SMS_REGION = "SMS_REGION"
ENV_SMS_PARAM_MAX_CHARS = "SMS_PARAM_MAX_CHARS"
ENV_SMS_CALLBACK_TOKEN_SHA256 = "SMS_CALLBACK_TOKEN_SHA256"  # noqa: S105  # nosec B105
ENV_SMS_QUEUE_URL = "SMS_QUEUE_URL"

# Henan's published bounds for flexible workers' contribution base (CNY per month), as of
# 2025-07 per docs/domain.md §7: *unverified*, so overridable per stage.
DEFAULT_PENSION_BASE_MIN = 3756
DEFAULT_PENSION_BASE_MAX = 18780
# Which original retirement age applies to women running an individual business is
# *unverified* (docs/domain.md §8); 55 is the default the domain note asks for.
DEFAULT_FEMALE_RETIREMENT_AGE = 55
CASE_TIME_LIMIT_WORKING_DAYS = 10
# A submission without an Idempotency-Key whose form, for the same person, equals one accepted
# this recently is a resubmission (a double tap, a retry after a lost answer): it gets that
# case back. Long enough for a client's retries, short enough not to block a real new case.
RESUBMISSION_WINDOW_S = 10 * 60


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, validated once."""

    table_name: str = "yijianshi"
    state_machine_arn: str = ""
    auth_jwt_secret: str = ""
    auth_jwks: str = ""
    auth_issuer: str = ""
    auth_audience: str = ""
    person_key_secret: str = ""
    form_digest_secret: str = ""
    # Keys phone numbers in the SMS rows (send windows, receipts): the sender's and the API's
    # (receipts) alone, apart from the person-key secret, which the sender never holds.
    phone_key_secret: str = ""
    pension_base_min: int = DEFAULT_PENSION_BASE_MIN
    pension_base_max: int = DEFAULT_PENSION_BASE_MAX
    female_retirement_age: int = DEFAULT_FEMALE_RETIREMENT_AGE
    stage: str = "prod"  # unset means prod: only an explicit "local" relaxes anything
    topic_arn: str = ""
    calendar_cache_s: int = 300
    # Working days a department has to call back after a poor rating: *unverified* locally
    # (docs/domain.md §9; 5 is common), so configuration.
    follow_up_working_days: int = 5
    uploads_bucket: str = ""
    # How long an approved subsidy stays on the public notice (公示期), in working days after
    # approval: *unverified* (docs/domain.md §6: Luoyang practice), so configuration.
    notice_working_days: int = 5
    # The change feeds show an event only this long after its transaction was sent: a
    # transaction sent earlier can still commit until its AWS call gives up (4 attempts of at
    # most 12 s each, see deps._CLIENT_CONFIG), and a reader must not move past it meanwhile.
    feed_settle_s: int = 60
    # Field-level encryption (docs/domain.md §10): the stage's KMS key, and how long one data key
    # encrypts before the process asks KMS for a new one.
    field_key_id: str = ""
    field_data_key_ttl_s: int = 900
    field_data_key_max_uses: int = 10_000
    # The departments' systems: unset URLs or credentials make their items wait, then fail to
    # a person (never answered from anything else). Timeouts fit an item handler's budget
    # (its Lambda timeout: 15 s). After a failed attempt the item's task goes back to its
    # queue, delayed base x 2^(attempts - 1) seconds, capped (SQS delays 900 s at most); after
    # ``connector_max_attempts`` the item fails to a person (defaults: about 4.8 hours).
    department_urls: dict[str, str] = field(default_factory=dict)
    gateway_secret_name: str = ""
    connector_connect_timeout_s: float = 2.0
    connector_read_timeout_s: float = 5.0
    retry_base_s: int = 15
    retry_max_s: int = 900
    connector_max_attempts: int = 24

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        source = dict(os.environ) if env is None else env
        defaults = cls()
        return cls(
            table_name=source.get(ENV_TABLE_NAME, defaults.table_name),
            state_machine_arn=source.get(ENV_STATE_MACHINE_ARN, ""),
            auth_jwt_secret=source.get(ENV_AUTH_JWT_SECRET, ""),
            auth_jwks=source.get(ENV_AUTH_JWKS, ""),
            auth_issuer=source.get(ENV_AUTH_ISSUER, ""),
            auth_audience=source.get(ENV_AUTH_AUDIENCE, ""),
            person_key_secret=source.get(ENV_PERSON_KEY_SECRET, ""),
            form_digest_secret=source.get(ENV_FORM_DIGEST_SECRET, ""),
            phone_key_secret=source.get(ENV_PHONE_KEY_SECRET, ""),
            pension_base_min=int(source.get(ENV_PENSION_BASE_MIN, defaults.pension_base_min)),
            pension_base_max=int(source.get(ENV_PENSION_BASE_MAX, defaults.pension_base_max)),
            female_retirement_age=int(
                source.get(ENV_FEMALE_RETIREMENT_AGE, defaults.female_retirement_age)
            ),
            stage=source.get(ENV_STAGE, defaults.stage),
            topic_arn=source.get(ENV_TOPIC_ARN, ""),
            calendar_cache_s=int(source.get(ENV_CALENDAR_TTL_S, defaults.calendar_cache_s)),
            follow_up_working_days=int(
                source.get(ENV_FOLLOW_UP_DAYS, defaults.follow_up_working_days)
            ),
            uploads_bucket=source.get(ENV_UPLOADS_BUCKET, ""),
            notice_working_days=int(
                source.get(ENV_NOTICE_WORKING_DAYS, defaults.notice_working_days)
            ),
            feed_settle_s=int(source.get(ENV_FEED_SETTLE_S, defaults.feed_settle_s)),
            field_key_id=source.get(ENV_FIELD_KEY_ID, ""),
            field_data_key_ttl_s=int(
                source.get(ENV_FIELD_DATA_KEY_TTL_S, defaults.field_data_key_ttl_s)
            ),
            field_data_key_max_uses=int(
                source.get(ENV_FIELD_DATA_KEY_MAX_USES, defaults.field_data_key_max_uses)
            ),
            department_urls={
                department: source[name]
                for department, name in ENV_DEPARTMENT_URLS.items()
                if source.get(name)
            },
            gateway_secret_name=source.get(ENV_GATEWAY_SECRET, ""),
            connector_connect_timeout_s=float(
                source.get(ENV_CONNECT_TIMEOUT_S, defaults.connector_connect_timeout_s)
            ),
            connector_read_timeout_s=float(
                source.get(ENV_READ_TIMEOUT_S, defaults.connector_read_timeout_s)
            ),
            retry_base_s=int(source.get(ENV_RETRY_BASE_S, defaults.retry_base_s)),
            retry_max_s=int(source.get(ENV_RETRY_MAX_S, defaults.retry_max_s)),
            connector_max_attempts=int(
                source.get(ENV_MAX_ATTEMPTS, defaults.connector_max_attempts)
            ),
        )


@cache
def get_settings() -> Settings:
    return Settings.from_env()


@dataclass(frozen=True)
class SmsSettings:
    """The SMS channel's configuration, per stage. Template ids and the signature are what the
    provider approved for this stage's account (README "SMS"); the provider's credentials are
    not here but in Secrets Manager (``secret_name``), read by the sender alone."""

    quiet_hours: str = "21:00-08:00"  # Asia/Shanghai; "off" disables
    rate_limits: str = "1/30s,5/1h,10/1d"  # per phone: the provider's defaults
    sign_name: str = ""
    sdk_app_id: str = ""
    templates: str = "{}"  # JSON: template key (domain.sms_notices.Template) -> template id
    secret_name: str = ""  # JSON secret: {"secret_id": ..., "secret_key": ...}
    endpoint: str = ""  # empty: the provider's own; "http://127.0.0.1:PORT": a local stand-in
    region: str = "ap-guangzhou"
    param_max_chars: int = 6  # the provider's default limit of one template variable
    callback_token_sha256: str = ""  # the receipts callback's token, hashed (README "SMS")
    queue_url: str = ""  # the SMS queue: held messages are made visible again later

    def template_ids(self) -> dict[str, str]:
        """Template key -> the provider's id of the approved template (unset keys: none)."""
        parsed = json.loads(self.templates or "{}")
        if not isinstance(parsed, dict):
            raise ValueError(f"{ENV_SMS_TEMPLATES} must be a JSON object")
        return {str(k): str(v) for k, v in parsed.items() if v}

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmsSettings:
        source = dict(os.environ) if env is None else env
        d = cls()
        return cls(
            quiet_hours=source.get(ENV_SMS_QUIET_HOURS, d.quiet_hours),
            rate_limits=source.get(ENV_SMS_RATE_LIMITS, d.rate_limits),
            sign_name=source.get(ENV_SMS_SIGN_NAME, d.sign_name),
            sdk_app_id=source.get(ENV_SMS_SDK_APP_ID, d.sdk_app_id),
            templates=source.get(ENV_SMS_TEMPLATES, d.templates),
            secret_name=source.get(ENV_SMS_SECRET_NAME, d.secret_name),
            endpoint=source.get(ENV_SMS_ENDPOINT, d.endpoint),
            region=source.get(ENV_SMS_REGION, d.region),
            param_max_chars=int(source.get(ENV_SMS_PARAM_MAX_CHARS, d.param_max_chars)),
            callback_token_sha256=source.get(ENV_SMS_CALLBACK_TOKEN_SHA256, ""),
            queue_url=source.get(ENV_SMS_QUEUE_URL, d.queue_url),
        )


@cache
def get_sms_settings() -> SmsSettings:
    return SmsSettings.from_env()
