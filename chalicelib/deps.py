"""Lazily built, cached dependencies: nothing is created at import (cold start, and moto only
intercepts clients made after its mock starts)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import botocore.session
from botocore.config import Config

from chalicelib.integrations.aws_models import Models
from chalicelib.integrations.crypto import FieldCipher, KmsEnvelopeCipher
from chalicelib.integrations.notify import SnsNotifier
from chalicelib.integrations.secrets import SecretJson
from chalicelib.integrations.storage import DocumentStore, S3DocumentStore
from chalicelib.services.calendars import CachedCalendar
from chalicelib.services.context import Services
from chalicelib.settings import Settings, get_settings, get_sms_settings
from chalicelib.store.dynamodb import DynamoDBCaseRepository
from chalicelib.workflow.engine import SqsItemQueues, StepFunctionsWorkflow

if TYPE_CHECKING:  # imported where used: a request that needs neither does not load them
    from chalicelib.integrations.departments import Departments
    from chalicelib.integrations.sms import Credentials, SmsGateway
    from chalicelib.services.sms import SmsServices
    from chalicelib.store.sms import SmsStore

_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=10
)


@cache
def _loader() -> Any:
    # Service models are loaded once per process and shared by every session (tests reset the
    # session with the environment; reloading the JSON models each time is slow).
    return Models()


@cache
def _session() -> botocore.session.Session:
    # botocore's session, not boto3's: nothing here needs boto3 (resources, transfers), and
    # importing it costs a cold process ~30 ms (store.attributes).
    session = botocore.session.get_session()
    session.register_component("data_loader", _loader())
    return session


@cache
def client(service: str) -> Any:
    return _session().create_client(service, config=_CLIENT_CONFIG)


class _LazyClient:
    """Stands for ``client(service)`` and builds it on first use: a cold function's first
    request builds only the clients it calls (each costs ~20 ms: its service model is loaded
    and its class generated), not one per adapter of the services."""

    def __init__(self, service: str) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(client(self._service), name)


class _Lazily:
    """Stands for what ``make()`` builds, built on first use (as ``_LazyClient``)."""

    def __init__(self, make: Callable[[], object]) -> None:
        self._make = make
        self._made: object | None = None

    def __getattr__(self, name: str) -> Any:
        if self._made is None:
            self._made = self._make()
        return getattr(self._made, name)


def services() -> Services:
    return _cached_services()


def _departments(settings: Settings) -> Departments:
    """The gateway adapter and its contract's models load with the first department call."""
    from chalicelib.integrations.gateway import GatewayDepartments, config_from

    credentials = SecretJson(_LazyClient("secretsmanager"), settings.gateway_secret_name)
    return GatewayDepartments(lambda: config_from(settings, credentials))


@cache
def _cached_services() -> Services:
    settings = get_settings()
    repo = DynamoDBCaseRepository(_LazyClient("dynamodb"), settings.table_name)
    return Services(
        repo=repo,
        workflow=StepFunctionsWorkflow(_LazyClient("stepfunctions"), settings.state_machine_arn),
        departments=cast("Departments", _Lazily(lambda: _departments(settings))),
        queues=SqsItemQueues(_LazyClient("sqs")),
        notifier=SnsNotifier(_LazyClient("sns"), settings.topic_arn),
        documents=documents(),
        settings=settings,
        calendars=CachedCalendar(repo, settings.calendar_cache_s),
        cipher=cipher(),
    )


def reset() -> None:
    """Forget every cached client and service (tests switch environments)."""
    sms_store.cache_clear()
    sms_gateway.cache_clear()
    get_sms_settings.cache_clear()
    client.cache_clear()
    _session.cache_clear()
    _cached_services.cache_clear()
    documents.cache_clear()
    cipher.cache_clear()
    get_settings.cache_clear()


@cache
def documents() -> DocumentStore:
    """Uploads and the electronic archive (one versioned bucket)."""
    return S3DocumentStore(_LazyClient("s3"), get_settings().uploads_bucket)


@cache
def cipher() -> FieldCipher:
    """One per process: its data key and the data keys it has opened are the cache that keeps
    KMS off the request path."""
    settings = get_settings()
    return KmsEnvelopeCipher(
        _LazyClient("kms"),
        settings.field_key_id,
        max_age_s=settings.field_data_key_ttl_s,
        max_uses=settings.field_data_key_max_uses,
    )


@cache
def sms_store() -> SmsStore:
    from chalicelib.store.sms import DynamoDBSmsStore

    return DynamoDBSmsStore(_LazyClient("dynamodb"), get_settings().table_name)


def _sms_credentials() -> Credentials:
    """The provider's API key, from Secrets Manager: read by the sender alone, when it first
    sends (never in the functions' environment)."""
    from chalicelib.integrations.sms import Credentials

    response = client("secretsmanager").get_secret_value(SecretId=get_sms_settings().secret_name)
    secret = json.loads(response["SecretString"])
    return Credentials(str(secret["secret_id"]), str(secret["secret_key"]))


LOOPBACK = ("http://127.0.0.1:", "http://localhost:")
CLOSED_LOOPBACK_PORT = "http://127.0.0.1:9"


@cache
def sms_gateway() -> SmsGateway:
    from chalicelib.integrations.sms import TencentSmsGateway

    config = get_sms_settings()
    endpoint = config.endpoint
    if get_settings().stage == "local" and not endpoint.startswith(LOOPBACK):
        endpoint = CLOSED_LOOPBACK_PORT  # the local stage never reaches the real provider
    return TencentSmsGateway(
        _sms_credentials, config.sdk_app_id, config.sign_name, config.region, endpoint
    )


def sms_services() -> SmsServices:
    """The sender's dependencies: the services' store, cipher and clock, and its own."""
    from chalicelib.services.sms import SmsServices

    svc = services()
    return SmsServices(
        repo=svc.repo,
        store=sms_store(),
        gateway=sms_gateway(),
        cipher=svc.cipher,
        settings=get_sms_settings(),
        phone_secret=svc.settings.phone_key_secret,
        clock=svc.clock,
    )
