"""Field-level envelope encryption of the personal data that must be kept whole (docs/domain.md
§10): a data key from KMS, AES-256-GCM locally, the encrypted data key stored with each value.

Envelope (text, so it fits any JSON field): ``enc:v1:`` + base64url (no padding) of
``len(edk) (2 bytes, big-endian) | edk | nonce (12 bytes) | ciphertext+tag``. The
authenticated data binds a value to its case and its field: a ciphertext copied to another
case or field does not open.

KMS is called rarely: one ``GenerateDataKey`` per process until the data key reaches its age
or use limit, and one ``Decrypt`` per distinct encrypted data key the process meets (cached
by the encrypted blob, bounded). So a submission or a read costs no KMS call once warm."""

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

PREFIX = "enc:v1:"
_NONCE_BYTES = 12
# Fixed, so a data key is cached by its blob alone; KMS refuses a blob under another context.
ENCRYPTION_CONTEXT = {"service": "yijianshi", "purpose": "personal-field"}


class CipherError(Exception):
    """A sealed value that does not open: tampered, moved to another case or field, or not
    an envelope at all."""


class FieldCipher(Protocol):
    def seal(self, value: str, case_id: str, field: str) -> str: ...

    def open(self, sealed: str, case_id: str, field: str) -> str: ...


def _aes_gcm(key: bytes) -> Any:
    # Imported on first use: the cryptography bindings add ~60 ms to every cold start.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def _aad(case_id: str, field: str) -> bytes:
    return f"{PREFIX}{case_id}/{field}".encode()


def _encode(edk: bytes, nonce: bytes, ciphertext: bytes) -> str:
    raw = struct.pack(">H", len(edk)) + edk + nonce + ciphertext
    return PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(sealed: str) -> tuple[bytes, bytes, bytes]:
    if not is_sealed(sealed):
        raise CipherError("not a sealed value")
    body = sealed[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        (length,) = struct.unpack(">H", raw[:2])
    except (ValueError, struct.error) as exc:
        raise CipherError("malformed envelope") from exc
    edk, rest = raw[2 : 2 + length], raw[2 + length :]
    if len(edk) != length or len(rest) <= _NONCE_BYTES:
        raise CipherError("malformed envelope")
    return edk, rest[:_NONCE_BYTES], rest[_NONCE_BYTES:]


@dataclass
class _DataKey:
    plaintext: bytes
    encrypted: bytes
    born: float
    uses: int = 0


class KmsEnvelopeCipher:
    """The KMS adapter (moto locally). ``max_age_s`` and ``max_uses`` bound how long one data
    key encrypts (well under AES-GCM's random-nonce limit of 2^32 messages per key)."""

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
        self._current: _DataKey | None = None
        self._opened: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def seal(self, value: str, case_id: str, field: str) -> str:
        key = self._data_key()
        nonce = os.urandom(_NONCE_BYTES)
        ciphertext = _aes_gcm(key.plaintext).encrypt(nonce, value.encode(), _aad(case_id, field))
        return _encode(key.encrypted, nonce, ciphertext)

    def open(self, sealed: str, case_id: str, field: str) -> str:
        edk, nonce, ciphertext = _decode(sealed)
        try:
            clear = _aes_gcm(self._plain_key(edk)).decrypt(nonce, ciphertext, _aad(case_id, field))
        except Exception as exc:  # InvalidTag: tampered or bound to another case / field
            raise CipherError("sealed value does not open here") from exc
        text: str = clear.decode()
        return text

    def _data_key(self) -> _DataKey:
        with self._lock:
            key, now = self._current, self._clock()
            if key is None or key.uses >= self._max_uses or now - key.born >= self._max_age_s:
                if not self._key_id:
                    raise RuntimeError("FIELD_KEY_ID is not configured")
                made = self._kms.generate_data_key(
                    KeyId=self._key_id, KeySpec="AES_256", EncryptionContext=ENCRYPTION_CONTEXT
                )
                key = _DataKey(made["Plaintext"], made["CiphertextBlob"], now)
                self._current = key
                self._remember(key.encrypted, key.plaintext)
            key.uses += 1
            return key

    def _plain_key(self, edk: bytes) -> bytes:
        with self._lock:
            known = self._opened.get(edk)
            if known is not None:
                self._opened.move_to_end(edk)
                return known
        try:
            answer = self._kms.decrypt(
                CiphertextBlob=edk, KeyId=self._key_id, EncryptionContext=ENCRYPTION_CONTEXT
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "InvalidCiphertextException":
                raise  # throttling, outages: the caller's transient-error handling applies
            raise CipherError("data key does not open") from exc
        with self._lock:
            self._remember(edk, answer["Plaintext"])
        return bytes(answer["Plaintext"])

    def _remember(self, edk: bytes, plaintext: bytes) -> None:
        self._opened[edk] = plaintext
        self._opened.move_to_end(edk)
        while len(self._opened) > self._cached:
            self._opened.popitem(last=False)
