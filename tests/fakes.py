"""Test doubles for the ports whose real adapters run on moto in the functional tests: the
use cases' unit tests run on these instead (Cosmic Python's fakes over mocks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from chalicelib.integrations.storage import (
    ArchivedObject,
    DocumentStore,
    Listing,
    StoredUpload,
    sha256_hex,
)


@dataclass
class MemoryDocumentStore(DocumentStore):
    """The same contract in memory, for unit tests of the use cases."""

    objects: dict[str, list[tuple[bytes, str, datetime]]] = field(default_factory=dict)

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_s: int
    ) -> tuple[str, dict[str, str]]:
        fields = {"key": key, "Content-Type": content_type, "max": str(max_bytes)}
        return f"memory://uploads?expires={expires_s}", fields

    def put(self, key: str, body: bytes, content_type: str) -> None:
        """What a client's upload does: a new version, never a replacement."""
        self.objects.setdefault(key, []).append((body, content_type, datetime.now(UTC)))

    def exists(self, key: str) -> bool:
        return key in self.objects

    kept: set[tuple[str, str]] = field(default_factory=set)

    def inspect(self, key: str, max_bytes: int) -> StoredUpload | None:
        versions = self.objects.get(key)
        if not versions or len(versions[-1][0]) > max_bytes:
            return None
        body = versions[-1][0]
        return StoredUpload(key, f"{key}#{len(versions)}", sha256_hex(body), len(body), body[:16])

    def keep(self, key: str, version_id: str) -> None:
        self.kept.add((key, version_id))

    def archive(self, key: str, body: bytes, content_type: str) -> str:
        if key not in self.objects:
            self.put(key, body, content_type)
        return f"{key}#{len(self.objects[key])}"

    def list(self, prefix: str) -> Listing:
        return [
            ArchivedObject(key, f"{key}#{n}", len(body), at, latest=n == len(versions))
            for key, versions in sorted(self.objects.items())
            if key.startswith(prefix)
            for n, (body, _, at) in enumerate(versions, start=1)
        ]
