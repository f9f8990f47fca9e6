"""Documents: uploads from applicants and staff, and the case archive (docs/domain.md §3, §10).

One versioned bucket holds both. Nothing here deletes or overwrites: an archive write is
conditional on the key being absent (``If-None-Match: *``, atomic on S3 and honoured by moto
5.2.5), so writing the same record twice keeps one version and a different body under an
existing key is refused, never stored over the first. Versioning still keeps every body of
an upload a client posts twice to its presigned key, and listing reads every version.
"""

from __future__ import annotations

import hashlib
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

log = logging.getLogger(__name__)
SHA256_META = "sha256"  # x-amz-meta-sha256: lets a refused rewrite tell "same" from "different"
# Uploads carry a tag from the moment they are posted (the presigned form requires it); the
# bucket's lifecycle expires what is still "unreferenced" (and its older versions), and a case
# that cites an upload re-tags that exact version "referenced", which nothing expires.
STATE_TAG = "state"
UNREFERENCED, REFERENCED = "unreferenced", "referenced"
UNREFERENCED_TAGGING = (
    f"<Tagging><TagSet><Tag><Key>{STATE_TAG}</Key><Value>{UNREFERENCED}</Value></Tag>"
    "</TagSet></Tagging>"
)
HEAD_BYTES = 16  # enough for every magic number the service checks
# HEAD of a missing key answers 404 only to whoever may list the bucket; our functions may
# list only under their prefixes (infra.policies), so a missing key under one answers 403.
# GetObject is granted on every key we ask about: a 403 there means "not there".
_ABSENT = frozenset({"404", "NoSuchKey", "NotFound", "403", "Forbidden", "AccessDenied"})
_CONFLICT_RETRIES = 3


@dataclass(frozen=True)
class ArchivedObject:
    key: str
    version_id: str
    size: int
    last_modified: datetime
    latest: bool = True
    deleted: bool = False  # a delete marker: shown, never hidden (nothing goes silently)


Listing = list[ArchivedObject]


@dataclass(frozen=True)
class StoredUpload:
    """The current version of an uploaded object: what a case that cites it records."""

    key: str
    version_id: str
    sha256: str
    size: int
    head: bytes  # its first bytes (the declared type is checked against them)


class DocumentStore(ABC):
    @abstractmethod
    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_s: int
    ) -> tuple[str, dict[str, str]]:
        """A browser form POST (url, fields) that may store only ``key``, only with exactly
        ``content_type``, only 1..``max_bytes`` bytes, only for ``expires_s`` seconds."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def inspect(self, key: str, max_bytes: int) -> StoredUpload | None:
        """The current version of ``key`` (``None`` if absent or larger than ``max_bytes``)."""

    @abstractmethod
    def keep(self, key: str, version_id: str) -> None:
        """Mark that version referenced: the lifecycle of unreferenced uploads spares it."""

    @abstractmethod
    def archive(self, key: str, body: bytes, content_type: str) -> str:
        """Store ``body`` under ``key`` unless the key already exists; the version id kept."""

    @abstractmethod
    def list(self, prefix: str) -> Listing:
        """Every version (and delete marker) under ``prefix``, by key then age."""


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class S3DocumentStore(DocumentStore):
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_s: int
    ) -> tuple[str, dict[str, str]]:
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type, "tagging": UNREFERENCED_TAGGING},
            Conditions=[
                {"Content-Type": content_type},
                {"tagging": UNREFERENCED_TAGGING},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_s,
        )
        return str(post["url"]), {k: str(v) for k, v in post["fields"].items()}

    def exists(self, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in _ABSENT:
                return False
            raise
        return True

    def inspect(self, key: str, max_bytes: int) -> StoredUpload | None:
        try:
            got = self._s3.get_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in _ABSENT:
                return None
            raise
        with got["Body"] as stream:
            body = stream.read(max_bytes + 1)
        if len(body) > max_bytes:
            return None
        version = str(got.get("VersionId", "null"))
        return StoredUpload(key, version, sha256_hex(body), len(body), body[:HEAD_BYTES])

    def keep(self, key: str, version_id: str) -> None:
        self._s3.put_object_tagging(
            Bucket=self._bucket,
            Key=key,
            VersionId=version_id,
            Tagging={"TagSet": [{"Key": STATE_TAG, "Value": REFERENCED}]},
        )

    def archive(self, key: str, body: bytes, content_type: str) -> str:
        digest = sha256_hex(body)
        for _ in range(_CONFLICT_RETRIES):
            try:
                put = self._s3.put_object(
                    Bucket=self._bucket,
                    Key=key,
                    Body=body,
                    ContentType=content_type,
                    Metadata={SHA256_META: digest},
                    IfNoneMatch="*",
                )
                return str(put.get("VersionId", "null"))
            except ClientError as exc:
                if _code(exc) == "PreconditionFailed":
                    return self._kept(key, digest)
                # 409: a concurrent conditional write to the same key; S3 asks us to retry.
                if _code(exc) != "ConditionalRequestConflict":
                    raise
        return self._kept(key, digest)

    def _kept(self, key: str, digest: str) -> str:
        head = self._s3.head_object(Bucket=self._bucket, Key=key)
        if head.get("Metadata", {}).get(SHA256_META) != digest:
            log.warning("archive key already holds other content; kept it", extra={"key": key})
        return str(head.get("VersionId", "null"))

    def list(self, prefix: str) -> Listing:
        rows: list[tuple[ArchivedObject, int]] = []
        pages = self._s3.get_paginator("list_object_versions").paginate(
            Bucket=self._bucket, Prefix=prefix
        )
        for page in pages:
            listed = [
                *(_version(v, deleted=False) for v in page.get("Versions", [])),
                *(_version(m, deleted=True) for m in page.get("DeleteMarkers", [])),
            ]
            rows += [(entry, -(len(rows) + n)) for n, entry in enumerate(listed)]
        # S3 lists a key's versions newest first and its times tie within a second: the
        # listing's own order breaks those ties, so each key reads oldest to newest.
        rows.sort(key=lambda r: (r[0].key, r[0].last_modified, r[0].latest, r[1]))
        return [entry for entry, _ in rows]


def _version(row: dict[str, Any], deleted: bool) -> ArchivedObject:
    return ArchivedObject(
        key=row["Key"],
        version_id=str(row.get("VersionId", "null")),
        size=int(row.get("Size", 0)),
        last_modified=row["LastModified"],
        latest=bool(row.get("IsLatest", False)),
        deleted=deleted,
    )
