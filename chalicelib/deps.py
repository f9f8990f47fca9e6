"""Lazily built, cached dependencies: nothing is created at import (cold start, and moto only
intercepts clients made after its mock starts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from chalicelib.domain.calendar import local_date
from chalicelib.domain.person import KeyRing, subject_identity
from chalicelib.integrations.crypto import FieldCipher, KmsEnvelopeCipher
from chalicelib.integrations.notify import SnsNotifier
from chalicelib.integrations.registry import FileLicenceRegistry
from chalicelib.integrations.storage import DocumentStore, S3DocumentStore
from chalicelib.services.calendars import CachedCalendar
from chalicelib.services.context import Services
from chalicelib.settings import get_settings
from chalicelib.store.dynamodb import DynamoDBCaseRepository
from chalicelib.workflow.engine import StepFunctionsWorkflow

_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=10
)


@cache
def _loader() -> Any:
    # Service models are loaded once per process and shared by every session (tests reset the
    # session with the environment; reloading the JSON models each time is slow).
    return botocore.loaders.create_loader()


@cache
def _session() -> boto3.session.Session:
    core = botocore.session.get_session()
    core.register_component("data_loader", _loader())
    return boto3.session.Session(botocore_session=core)


@cache
def client(service: str) -> Any:
    return _session().client(service, config=_CLIENT_CONFIG)


class _LazyClient:
    """Stands for ``client(service)`` and builds it on first use: a cold function's first
    request builds only the clients it calls (each costs ~20 ms: its service model is loaded
    and its class generated), not one per adapter of the services."""

    def __init__(self, service: str) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(client(self._service), name)


def services() -> Services:
    return _cached_services()


# What the registry records as a business's operator where this function holds no person-key
# secret: matches no person key (they all start "v<n>."), so nothing here can be linked to a
# person. Only the licence check compares operators, and only it, the API and the authorizer
# are given the secret (infra.patches); everywhere else the secret is simply not needed.
UNKEYED = "unkeyed"


def operator_key_of(secret: str) -> Callable[[str], str]:
    """The registry's ``key_of``: the operator's ID number to their person key, derived only
    where the secret is configured (the secret is required lazily, where a key is made)."""
    ring = KeyRing.parse(secret)

    def key_of(id_number: str) -> str:
        if not ring.configured:
            return UNKEYED
        family, identity_key = subject_identity(id_number, local_date(datetime.now(UTC)))
        return ring.key(family, identity_key)

    return key_of


@cache
def _cached_services() -> Services:
    settings = get_settings()
    key_of = operator_key_of(settings.person_key_secret)

    repo = DynamoDBCaseRepository(_LazyClient("dynamodb"), settings.table_name)
    return Services(
        repo=repo,
        workflow=StepFunctionsWorkflow(_LazyClient("stepfunctions"), settings.state_machine_arn),
        registry=FileLicenceRegistry.from_path(settings.registry_path, key_of),
        notifier=SnsNotifier(_LazyClient("sns"), settings.topic_arn),
        documents=documents(),
        settings=settings,
        calendars=CachedCalendar(repo, settings.calendar_cache_s),
        cipher=cipher(),
    )


def reset() -> None:
    """Forget every cached client and service (tests switch environments)."""
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
