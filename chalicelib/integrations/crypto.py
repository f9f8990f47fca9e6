"""Field-level envelope encryption of the personal data that must be kept whole (docs/domain.md
§10): a data key from KMS per case, AES-256-GCM locally, the encrypted data key stored with
each value.

Envelope (text, so it fits any JSON field): ``enc:v2:`` + base64url (no padding) of
``len(edk) (2 bytes, big-endian) | edk | nonce (12 bytes) | ciphertext+tag``. The
authenticated data binds a value to its case and its field: a ciphertext copied to another
case or field does not open.

Each case has data keys of its own, made and opened under an encryption context that names
the case: KMS (and its key policy) checks it, and CloudTrail records which case a function
opened. KMS is called once per case and process: ``GenerateDataKey`` when a case's first
value is sealed (a submission), ``Decrypt`` the first time a process opens a case it did not
seal; both are cached per case (bounded). Envelopes of the first format (``enc:v1:``, one
data key per process under a fixed context) still open."""

from __future__ import annotations

import base64
import os
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import ClientError

PREFIX = "enc:v2:"
LEGACY_PREFIX = "enc:v1:"
_NONCE_BYTES = 12
SERVICE_CONTEXT = {"service": "yijianshi", "purpose": "personal-field"}
LEGACY_CONTEXT = SERVICE_CONTEXT  # enc:v1: one context for every case
CASE_CONTEXT_KEY = "case"


def encryption_context(case_id: str) -> dict[str, str]:
    """The context a case's data keys are made and opened under (names the case)."""
    return {**SERVICE_CONTEXT, CASE_CONTEXT_KEY: case_id}


class CipherError(Exception):
    """A sealed value that does not open: tampered, moved to another case or field, or not
    an envelope at all."""


class FieldCipher(Protocol):
    def seal(self, value: str, case_id: str, field: str) -> str: ...

    def open(self, sealed: str, case_id: str, field: str) -> str: ...

    def forget(self) -> None: ...


def _aes_gcm(key: bytes) -> Any:
    # Imported on first use: the cryptography bindings add ~60 ms to every cold start.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith((PREFIX, LEGACY_PREFIX))


def _aad(prefix: str, case_id: str, field: str) -> bytes:
    return f"{prefix}{case_id}/{field}".encode()


def _encode(edk: bytes, nonce: bytes, ciphertext: bytes) -> str:
    raw = struct.pack(">H", len(edk)) + edk + nonce + ciphertext
    return PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(sealed: str) -> tuple[str, bytes, bytes, bytes]:
    if not is_sealed(sealed):
        raise CipherError("not a sealed value")
    prefix = sealed[: len(PREFIX)]
    body = sealed[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        (length,) = struct.unpack(">H", raw[:2])
    except (ValueError, struct.error) as exc:
        raise CipherError("malformed envelope") from exc
    edk, rest = raw[2 : 2 + length], raw[2 + length :]
    if len(edk) != length or len(rest) <= _NONCE_BYTES:
        raise CipherError("malformed envelope")
    return prefix, edk, rest[:_NONCE_BYTES], rest[_NONCE_BYTES:]


@dataclass
class _DataKey:
    plaintext: bytes
    encrypted: bytes
    born: float
    uses: int = 0


class KmsEnvelopeCipher:
    """The KMS adapter (moto locally). ``max_age_s`` and ``max_uses`` bound how long one data
    key seals (a case's values are few: in practice one key per case); ``cached_keys`` bounds
    the per-case caches."""

    def __init__(
        self,
        kms: Any,
        key_id: str,
        max_age_s: float = 900,
        max_uses: int = 10_000,
        cached_keys: int = 256,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._kms, self._key_id = kms, key_id
        self._max_age_s, self._max_uses, self._cached = max_age_s, max_uses, cached_keys
        self._clock = clock
        self._sealing: OrderedDict[str, _DataKey] = OrderedDict()  # case id -> its data key
        self._opened: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def seal(self, value: str, case_id: str, field: str) -> str:
        key = self._data_key(case_id)
        nonce = os.urandom(_NONCE_BYTES)
        aad = _aad(PREFIX, case_id, field)
        ciphertext = _aes_gcm(key.plaintext).encrypt(nonce, value.encode(), aad)
        return _encode(key.encrypted, nonce, ciphertext)

    def open(self, sealed: str, case_id: str, field: str) -> str:
        prefix, edk, nonce, ciphertext = _decode(sealed)
        plain = self._plain_key(prefix, edk, case_id)
        try:
            clear = _aes_gcm(plain).decrypt(nonce, ciphertext, _aad(prefix, case_id, field))
        except Exception as exc:  # InvalidTag: tampered or bound to another case / field
            raise CipherError("sealed value does not open here") from exc
        text: str = clear.decode()
        return text

    def forget(self) -> None:
        """Drop every cached data key (what a new process holds)."""
        with self._lock:
            self._sealing.clear()
            self._opened.clear()

    def _fresh(self, key: _DataKey | None, now: float) -> bool:
        return key is not None and key.uses < self._max_uses and now - key.born < self._max_age_s

    def _data_key(self, case_id: str) -> _DataKey:
        with self._lock:
            key, now = self._sealing.get(case_id), self._clock()
            if key is None or not self._fresh(key, now):
                if not self._key_id:
                    raise RuntimeError("FIELD_KEY_ID is not configured")
                made = self._kms.generate_data_key(
                    KeyId=self._key_id,
                    KeySpec="AES_256",
                    EncryptionContext=encryption_context(case_id),
                )
                key = _DataKey(made["Plaintext"], made["CiphertextBlob"], now)
                self._remember(case_id, key)
            key.uses += 1
            return key

    def _plain_key(self, prefix: str, edk: bytes, case_id: str) -> bytes:
        slot = (case_id if prefix == PREFIX else "", edk)
        with self._lock:
            known = self._opened.get(slot)
            if known is not None:
                self._opened.move_to_end(slot)
                return known
        legacy = prefix == LEGACY_PREFIX
        context = LEGACY_CONTEXT if legacy else encryption_context(case_id)
        try:
            answer = self._kms.decrypt(
                CiphertextBlob=edk, KeyId=self._key_id, EncryptionContext=context
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "InvalidCiphertextException":
                raise  # throttling, outages: the caller's transient-error handling applies
            raise CipherError("data key does not open") from exc
        plain = bytes(answer["Plaintext"])
        with self._lock:
            if legacy:
                self._remember_opened(slot, plain)
            elif case_id not in self._sealing:  # later values of this case reuse it
                self._remember(case_id, _DataKey(plain, edk, self._clock()))
            else:
                self._remember_opened(slot, plain)
        return plain

    def _remember(self, case_id: str, key: _DataKey) -> None:
        self._sealing[case_id] = key
        self._sealing.move_to_end(case_id)
        while len(self._sealing) > self._cached:
            self._sealing.popitem(last=False)
        self._remember_opened((case_id, key.encrypted), key.plaintext)

    def _remember_opened(self, slot: tuple[str, bytes], plaintext: bytes) -> None:
        self._opened[slot] = plaintext
        self._opened.move_to_end(slot)
        while len(self._opened) > self._cached:
            self._opened.popitem(last=False)
