"""Field envelopes: what they bind, what they refuse, and how rarely they call KMS."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.integrations.crypto import (
    PREFIX,
    CipherError,
    KmsEnvelopeCipher,
    encryption_context,
    is_sealed,
)
from chalicelib.services.personal import open_form, seal_form

ID_NUMBER = "410302199001019018"


class FakeKms:
    """KMS's data-key contract: a blob only this 'KMS' opens, under the same context. A fake
    so these unit tests count every call and context without AWS set-up; the cipher runs
    against moto's KMS in the functional tests (test_personal_data_at_rest and others)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.contexts: list[dict[str, str]] = []  # what CloudTrail would record, in order
        self._keys: dict[bytes, tuple[bytes, dict[str, str]]] = {}

    def generate_data_key(self, KeyId: str, KeySpec: str, EncryptionContext: Any) -> Any:  # noqa: N803
        assert KeySpec == "AES_256"
        self.calls["GenerateDataKey"] += 1
        self.contexts.append(dict(EncryptionContext))
        plaintext, blob = os.urandom(32), os.urandom(150)
        self._keys[blob] = (plaintext, dict(EncryptionContext))
        return {"Plaintext": plaintext, "CiphertextBlob": blob, "KeyId": KeyId}

    def decrypt(self, CiphertextBlob: bytes, KeyId: str, EncryptionContext: Any) -> Any:  # noqa: N803
        self.calls["Decrypt"] += 1
        self.contexts.append(dict(EncryptionContext))
        made = self._keys.get(CiphertextBlob)
        if made is None or made[1] != EncryptionContext:  # KMS binds the blob to its context
            error = {"Error": {"Code": "InvalidCiphertextException", "Message": ""}}
            raise ClientError(error, "Decrypt")
        return {"Plaintext": made[0], "KeyId": KeyId}


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kms() -> FakeKms:
    return FakeKms()


def cipher(kms: FakeKms, **options: Any) -> KmsEnvelopeCipher:
    return KmsEnvelopeCipher(kms, "alias/test", **options)


def test_a_sealed_value_opens_for_its_own_case_and_field_only(kms):
    sealed = cipher(kms).seal(ID_NUMBER, "case-1", "applicant.id_number")
    assert is_sealed(sealed) and sealed.startswith(PREFIX) and ID_NUMBER not in sealed
    other_process = cipher(kms)
    assert other_process.open(sealed, "case-1", "applicant.id_number") == ID_NUMBER
    with pytest.raises(CipherError):
        other_process.open(sealed, "case-2", "applicant.id_number")
    with pytest.raises(CipherError):
        other_process.open(sealed, "case-1", "subsidy.account")


def test_a_tampered_or_malformed_envelope_does_not_open(kms):
    box = cipher(kms)
    sealed = box.seal(ID_NUMBER, "case-1", "applicant.id_number")
    flipped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    for bad in (flipped, PREFIX + "!!!", PREFIX, ID_NUMBER):
        with pytest.raises(CipherError):
            box.open(bad, "case-1", "applicant.id_number")


def test_a_data_key_another_kms_made_does_not_open(kms):
    sealed = cipher(FakeKms()).seal(ID_NUMBER, "case-1", "applicant.id_number")
    with pytest.raises(CipherError):
        cipher(kms).open(sealed, "case-1", "applicant.id_number")


def test_each_case_has_its_own_data_key_made_and_opened_under_a_context_naming_it(kms):
    box = cipher(kms)
    envelopes = [box.seal(ID_NUMBER, f"case-{n}", "applicant.id_number") for n in range(3)]
    box.seal("6216610200001234567", "case-0", "subsidy.account")  # the same case: its key
    assert kms.calls["GenerateDataKey"] == 3
    assert [c["case"] for c in kms.contexts] == ["case-0", "case-1", "case-2"]
    assert all(c == encryption_context(c["case"]) for c in kms.contexts)
    # What this process sealed it opens without asking KMS.
    assert [box.open(e, f"case-{n}", "applicant.id_number") for n, e in enumerate(envelopes)]
    assert kms.calls["Decrypt"] == 0
    reader = cipher(kms)  # another process: one Decrypt per case, with the case named
    for _ in range(2):
        assert reader.open(envelopes[1], "case-1", "applicant.id_number") == ID_NUMBER
    assert kms.calls["Decrypt"] == 1 and kms.contexts[-1]["case"] == "case-1"


def test_a_data_key_is_replaced_after_its_age_or_use_limit(kms):
    ticks = Ticks()
    box = cipher(kms, max_age_s=60, max_uses=2, clock=ticks)
    for _ in range(2):
        box.seal(ID_NUMBER, "case-1", "applicant.id_number")
    assert kms.calls["GenerateDataKey"] == 1
    box.seal(ID_NUMBER, "case-1", "applicant.id_number")  # the third use: a new key
    assert kms.calls["GenerateDataKey"] == 2
    ticks.now = 61  # too old
    box.seal(ID_NUMBER, "case-1", "applicant.id_number")
    assert kms.calls["GenerateDataKey"] == 3


def test_a_process_that_opened_a_case_seals_its_further_values_with_the_same_key(kms):
    sealed = cipher(kms).seal(ID_NUMBER, "case-1", "applicant.id_number")
    approver = cipher(kms)
    approver.open(sealed, "case-1", "applicant.id_number")
    approver.seal("6216610200001234567", "case-1", "payment.account")
    assert (kms.calls["GenerateDataKey"], kms.calls["Decrypt"]) == (1, 1)


def test_data_keys_are_opened_once_per_case_and_blob_and_the_cache_is_bounded(kms):
    writer = cipher(kms)
    envelopes = [writer.seal(str(n), f"case-{n}", "applicant.id_number") for n in range(3)]
    reader = cipher(kms, cached_keys=2)
    for _ in range(2):
        assert reader.open(envelopes[2], "case-2", "applicant.id_number") == "2"
    assert kms.calls["Decrypt"] == 1
    for n in (0, 1):
        reader.open(envelopes[n], f"case-{n}", "applicant.id_number")
    assert kms.calls["Decrypt"] == 3  # 0 and 1 were new
    reader.open(envelopes[1], "case-1", "applicant.id_number")
    assert kms.calls["Decrypt"] == 3  # kept
    reader.open(envelopes[2], "case-2", "applicant.id_number")
    assert kms.calls["Decrypt"] == 4  # evicted: only two cases' keys are kept


def test_the_form_seals_the_id_number_phone_and_account_and_keeps_the_rest(kms):
    box = cipher(kms)
    form = {
        "applicant": {"name": "张三", "phone": "13800138000", "id_number": ID_NUMBER},
        "subsidy": {"bank": "中国银行", "account": "6216610200001234567"},
        "items": ["license_verification"],
    }
    sealed = seal_form(box, "case-1", form)
    assert is_sealed(sealed["applicant"]["id_number"])
    assert is_sealed(sealed["subsidy"]["account"])
    assert is_sealed(sealed["applicant"]["phone"])  # two sealed fields of one section
    assert sealed["applicant"]["name"] == "张三"
    assert seal_form(box, "case-1", sealed) == sealed  # sealing twice changes nothing
    assert open_form(box, "case-1", sealed) == form
    assert open_form(box, "case-1", {"items": []}) == {"items": []}  # no subsidy section


def test_an_envelope_of_the_first_format_still_opens(kms):
    import base64
    import struct

    from chalicelib.integrations.crypto import LEGACY_CONTEXT, LEGACY_PREFIX, _aes_gcm

    made = kms.generate_data_key("alias/test", "AES_256", LEGACY_CONTEXT)
    nonce = os.urandom(12)
    aad = f"{LEGACY_PREFIX}case-1/applicant.id_number".encode()
    body = _aes_gcm(made["Plaintext"]).encrypt(nonce, ID_NUMBER.encode(), aad)
    blob = made["CiphertextBlob"]
    raw = struct.pack(">H", len(blob)) + blob + nonce + body
    sealed = LEGACY_PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    assert is_sealed(sealed)
    assert cipher(kms).open(sealed, "case-1", "applicant.id_number") == ID_NUMBER
