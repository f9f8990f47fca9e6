"""Configuration: explicit argument over environment variable over default.

Every environment variable name lives here. Values marked *unverified* in docs/domain.md are
configuration with a dated default, never constants buried in code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

ENV_TABLE_NAME = "TABLE_NAME"
ENV_STATE_MACHINE_ARN = "STATE_MACHINE_ARN"
ENV_AUTH_JWT_SECRET = "AUTH_JWT_SECRET"  # noqa: S105 - the variable's name, not a secret  # nosec B105
ENV_PERSON_KEY_SECRET = "PERSON_KEY_SECRET"  # noqa: S105 - a name, not a secret  # nosec B105
# HMAC key of the form digest (idempotency, resubmission): the API's alone.
ENV_FORM_DIGEST_SECRET = "FORM_DIGEST_SECRET"  # noqa: S105 - a name, not a secret  # nosec B105
ENV_AUTH_JWKS = "AUTH_JWKS"  # the stage's token-signing public keys, a JWKS document (JSON)
ENV_AUTH_ISSUER = "AUTH_ISSUER"
ENV_AUTH_AUDIENCE = "AUTH_AUDIENCE"
ENV_PENSION_BASE_MIN = "PENSION_BASE_MIN"
ENV_PENSION_BASE_MAX = "PENSION_BASE_MAX"
ENV_FEMALE_RETIREMENT_AGE = "FEMALE_ORIGINAL_RETIREMENT_AGE"
ENV_REGISTRY_PATH = "LICENCE_REGISTRY_PATH"
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
    pension_base_min: int = DEFAULT_PENSION_BASE_MIN
    pension_base_max: int = DEFAULT_PENSION_BASE_MAX
    female_retirement_age: int = DEFAULT_FEMALE_RETIREMENT_AGE
    registry_path: str = ""
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
            pension_base_min=int(source.get(ENV_PENSION_BASE_MIN, defaults.pension_base_min)),
            pension_base_max=int(source.get(ENV_PENSION_BASE_MAX, defaults.pension_base_max)),
            female_retirement_age=int(
                source.get(ENV_FEMALE_RETIREMENT_AGE, defaults.female_retirement_age)
            ),
            registry_path=source.get(ENV_REGISTRY_PATH, ""),
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
        )


@cache
def get_settings() -> Settings:
    return Settings.from_env()
