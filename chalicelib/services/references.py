"""What a case's citation of an upload must be, and what it records (docs/domain.md §3, §10):
the caller's own upload (``uploads/{owner}/{purpose}/{token}.{ext}``), issued for the purpose
it is cited for, really of the type it claims (its first bytes), and the exact version cited
with that version's SHA-256, which the bucket then keeps (``DocumentStore.keep``). Submission,
corrections and claims all check through here."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.access import Principal
from chalicelib.domain.problems import Problem
from chalicelib.integrations.storage import DocumentStore
from chalicelib.services.uploads import MAX_UPLOAD_BYTES, owner_prefix, purpose_of, where
from chalicelib.store.records import UploadCitationRecord

# What each declared type's content starts with: a file whose first bytes say otherwise is not
# what it claims (a script renamed .pdf, an HTML page posted as image/png).
MAGIC: Mapping[str, tuple[bytes, ...]] = {
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
}


@dataclass(frozen=True)
class Reference:
    """An upload a case cites: the exact version it cites, and that version's digest."""

    key: str
    version_id: str
    sha256: str
    field: str

    def as_record(self) -> dict[str, str]:
        return {"key": self.key, "version_id": self.version_id, "sha256": self.sha256}


def _type_matches(key: str, head: bytes) -> bool:
    return head.startswith(MAGIC.get(key.rsplit(".", 1)[-1], (b"",)))


def _owner_problem(prefix: str, key: str, allowed: Collection[str], field: str) -> Problem | None:
    purpose = purpose_of(key)
    if purpose is None:  # a bare prefix, another bucket area, anything we never hand out
        return Problem(field, "upload.key_invalid", "材料的对象键格式不正确，请重新上传")
    # Someone else's key is never looked up: existence is not revealed across owners.
    if not key.startswith(prefix):
        return Problem(field, "upload.not_yours", "该材料不是本人通过本系统上传的，请重新上传")
    if allowed and purpose not in allowed:
        return Problem(field, "upload.wrong_purpose", "该材料上传时的用途与此处不符，请重新上传")
    return None


def _reference(
    store: DocumentStore, prefix: str, key: str, allowed: Collection[str], field: str
) -> Problem | Reference:
    problem = _owner_problem(prefix, key, allowed, field)
    if problem is not None:
        return problem
    found = store.inspect(key, MAX_UPLOAD_BYTES)
    if found is None:
        return Problem(field, "upload.missing", "未找到已上传的材料，请重新上传")
    if not _type_matches(key, found.head):
        msg = "文件内容与声明的类型不符（仅支持 JPEG、PNG 图片或 PDF 文件）"
        return Problem(field, "upload.type_mismatch", msg)
    return Reference(key, found.version_id, found.sha256, field)


def inspect_references(
    store: DocumentStore,
    who: Principal,
    keys: Sequence[str],
    field: str = "attachments",
    purposes: Sequence[Collection[str]] = (),
) -> tuple[list[Problem], list[Reference]]:
    """Every problem with the uploads a request cites, else the exact version of each.
    ``purposes[i]``: what the i-th key may have been issued for (none: any). ``field`` names
    where the keys sit in the request: ``"materials"`` gives ``materials.0``; a template such
    as ``"attachments.{i}.key"`` is filled in."""
    problems: list[Problem] = []
    found: list[Reference] = []
    for index, key in enumerate(keys):
        allowed = purposes[index] if index < len(purposes) else ()
        answer = _reference(store, owner_prefix(who, key), key, allowed, where(field, index))
        if isinstance(answer, Problem):
            problems.append(answer)
        else:
            found.append(answer)
    return problems, found


def check_references(
    store: DocumentStore,
    who: Principal,
    keys: Sequence[str],
    field: str = "attachments",
    purposes: Sequence[Collection[str]] = (),
) -> list[Problem]:
    return inspect_references(store, who, keys, field, purposes)[0]


def attachment_references(
    store: DocumentStore, who: Principal, form: Mapping[str, Any]
) -> tuple[list[Problem], list[Reference]]:
    """The form's attachments: each the caller's own upload, issued for its stated purpose."""
    attachments = [a for a in form.get("attachments") or [] if isinstance(a, Mapping)]
    keys = [str(a.get("key", "")) for a in attachments]
    purposes = [{str(a.get("purpose", ""))} for a in attachments]
    return inspect_references(store, who, keys, "attachments.{i}.key", purposes)


def with_versions(form: Mapping[str, Any], found: Sequence[Reference]) -> dict[str, Any]:
    """The form as stored: each attachment with the version it cites and that version's
    SHA-256 (the bucket keeps exactly that version)."""
    by_key = {r.key: r for r in found}
    attachments = [
        {**a, **by_key[a["key"]].as_record()} if a.get("key") in by_key else dict(a)
        for a in form.get("attachments") or []
    ]
    return {**form, "attachments": attachments} if "attachments" in form else dict(form)


def keep_references(store: DocumentStore, found: Sequence[Reference]) -> None:
    """Spare the cited versions from the expiry of unreferenced uploads. Done before the case
    is written: if the write then fails, an upload is merely kept longer."""
    for ref in found:
        store.keep(ref.key, ref.version_id)


def citations(case_id: str, found: Sequence[Reference], at: str) -> list[UploadCitationRecord]:
    """The rows that make each cited upload this case's alone (written with the case)."""
    return [
        UploadCitationRecord(
            key=r.key, case_id=case_id, version_id=r.version_id, sha256=r.sha256, cited_at=at
        )
        for r in found
    ]


def cited_elsewhere(found: Sequence[Reference], keys: Collection[str]) -> list[Problem]:
    msg = "该材料已被另一办件引用，一份材料只能用于一个办件，请重新上传"
    return [Problem(r.field, "upload.already_cited", msg) for r in found if r.key in keys]
