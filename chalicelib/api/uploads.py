"""/v1/uploads (presigned uploads of photos, ID images and claim materials) and a case's
electronic archive for officers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from chalicelib import deps
from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.api.schemas import In, Out
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.calendar import SHANGHAI_OFFSET
from chalicelib.domain.problems import Problem
from chalicelib.integrations.storage import ArchivedObject
from chalicelib.services import read, uploads

KindT = Literal["form", "certificate", "decision", "upload", "other"]


class UploadIn(In):
    purpose: str = Field(
        max_length=32,
        description="材料用途：id_photo 证件照片，id_document 身份证件图像，"
        "authorisation 授权委托书（受委托人代办），signed_form 签字确认的申请表（窗口），"
        "claim_material 补贴申领材料，category_evidence 创业补贴人员类别证明材料（如毕业证书、"
        "就业困难人员认定证明、退役军人证件，申领时引用，供审核人员核实），other 其他材料",
        json_schema_extra={"enum": list(uploads.PURPOSES)},
    )
    content_type: str = Field(
        max_length=100,
        description="文件类型：image/jpeg、image/png 或 application/pdf",
        json_schema_extra={"enum": list(uploads.CONTENT_TYPES)},
    )
    size: int = Field(description="文件大小（字节），1 字节至 5 MB")


class UploadOut(Out):
    key: str = Field(description="对象键：提交申请或申领补贴时以此引用该材料")
    url: str = Field(description="以 multipart/form-data 表单 POST 上传的地址")
    fields: dict[str, str] = Field(
        description="表单字段：原样放在文件（字段名 file，须为最后一个字段）之前"
    )
    expires_at: str = Field(description="上传地址失效时间（ISO-8601，+08:00），15 分钟内有效")


class ArchiveEntry(Out):
    key: str = Field(description="对象键")
    kind: KindT = Field(description="归档类别：申请表、电子证照、办理决定、上传材料")
    version_id: str = Field(description="版本号：更正以新版本保存，旧版本不删除不覆盖")
    size: int = Field(description="大小（字节）")
    last_modified: str = Field(description="保存时间（ISO-8601，+08:00）")
    latest: bool = Field(description="是否为该对象的当前版本")
    deleted: bool = Field(description="删除标记（旧版本仍保留，可追溯）")


class ArchiveList(Out):
    application_id: str = Field(description="办件编号")
    entries: list[ArchiveEntry] = Field(description="电子档案：申请表、证照、决定、上传材料")


def _upload_rules(raw: Mapping[str, Any], _who: Principal | None) -> list[Problem]:
    return uploads.upload_problems(raw.get("purpose"), raw.get("content_type"), raw.get("size"))


@operation(
    Operation(
        name="create_upload",
        method="POST",
        path="/v1/uploads",
        summary="上传材料（证件照片、证件图像、补贴申领材料）：返回 15 分钟内有效的上传表单",
        tag="uploads",
        roles=frozenset({Role.APPLICANT, Role.CLERK}),
        body=UploadIn,
        body_rules=_upload_rules,
        responses={201: UploadOut},
        errors=(400, 401, 403, 422),
    ),
)
def create_upload(call: Call) -> Reply:
    body: UploadIn = call.body
    upload = uploads.new_upload(
        deps.documents(),
        call.who,
        body.purpose,
        body.content_type,
        body.size,
        deps.services().clock(),
    )
    out = UploadOut(
        key=upload.key,
        url=upload.url,
        fields=upload.fields,
        expires_at=_local(upload.expires_at),
    )
    return Reply(201, out)


@operation(
    Operation(
        name="get_application_archive",
        method="GET",
        path="/v1/applications/{application_id}/archive",
        summary="办件电子档案：申请表、电子证照、办理决定和上传材料的全部版本",
        tag="applications",
        roles=frozenset({Role.OFFICER, Role.ADMIN}),
        responses={200: ArchiveList},
        errors=(401, 403, 404),
    ),
)
def get_application_archive(call: Call, application_id: str) -> Reply:
    bundle = read.case_for(deps.services(), call.who, application_id)
    found = uploads.list_archive(
        deps.documents(), application_id, uploads.referenced_uploads(bundle)
    )
    entries = [_entry(o) for o in found]
    return Reply(200, ArchiveList(application_id=application_id, entries=entries))


def _local(instant: datetime) -> str:
    return instant.astimezone(SHANGHAI_OFFSET).isoformat(timespec="seconds")


_KINDS: Mapping[str, KindT] = {
    "form": "form",
    "certificates": "certificate",
    "decisions": "decision",
}


def _kind(key: str) -> KindT:
    parts = key.split("/")  # archive/{case}/{kind}/... or uploads/{owner}/{purpose}/...
    if parts[0] == uploads.UPLOADS:
        return "upload"
    return _KINDS.get(parts[2], "other") if len(parts) > 3 else "other"


def _entry(found: ArchivedObject) -> ArchiveEntry:
    kind = _kind(found.key)
    return ArchiveEntry(
        key=found.key,
        kind=kind,
        version_id=found.version_id,
        size=found.size,
        last_modified=_local(found.last_modified),
        latest=found.latest,
        deleted=found.deleted,
    )
