"""The window's part of the form (docs/domain.md §3): who acts for the applicant, who signed,
and the applicant's authorisation of shared data.

At the window the clerk "根据申请人选择的联办事项和对电子证照、共享数据的授权…调取可共享的信息
数据，通过询问申请人补充完整表单信息后，由申请人签字确认，同时一并收取其他申请材料" (附件3
四（二）3②); the form's commitment is signed by "申请人或受委托人" (附件2). Online, the
applicant signs in under their real name and submits for themselves ("确认后提交", 附件3
四（二）3①): no agent there, and no signature required.

Pure: the rules read the raw request (a mapping parsed from JSON), like
``domain.application``'s, so every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.domain.person import FAMILIES
from chalicelib.domain.problems import Problem
from chalicelib.domain.raw_form import identity_of, section

AUTHORISATION = "authorisation"  # 授权委托书: the applicant's authorisation of the agent
SIGNED_FORM = "signed_form"  # the form as the applicant (or agent) signed it at the window
ID_DOCUMENT = "id_document"
ATTACHMENT_PURPOSES = ("id_photo", ID_DOCUMENT, AUTHORISATION, SIGNED_FORM, "other")


def _attached(raw: Mapping[str, Any], purpose: str) -> bool:
    attachments = raw.get("attachments")
    if not isinstance(attachments, list):
        return False
    return any(isinstance(a, Mapping) and a.get("purpose") == purpose for a in attachments)


def _person(part: Mapping[str, Any], today: date, field: str) -> tuple[str | None, list[Problem]]:
    """Who the section's ID document names (its document family and identity key: a
    居民身份证 and a 社会保障卡 of one person are one person), with its problems."""
    info, problems = identity_of(part, today, field)
    if info is None:
        return None, problems
    return f"{FAMILIES[part['id_type']]}:{info.identity_key}", problems


def agent_problems(raw: Mapping[str, Any], today: date) -> list[Problem]:
    """受委托人: a valid ID document like the applicant's, someone other than the applicant,
    and the applicant's authorisation among the attachments."""
    if raw.get("agent") is None:
        return []
    agent, problems = _person(section(raw, "agent"), today, "agent.id_number")
    applicant, _ = _person(section(raw, "applicant"), today, "applicant.id_number")
    if agent is not None and agent == applicant:
        msg = "受委托人不能是申请人本人；申请人本人办理时请勿填写受委托人"
        problems.append(Problem("agent.id_number", "agent.same_as_applicant", msg))
    if not _attached(raw, AUTHORISATION):
        msg = "受委托人代为办理的，请上传申请人的授权委托书（attachments 用途 authorisation）"
        problems.append(Problem("attachments", "agent.authorisation_required", msg))
    return problems


def signature_problems(raw: Mapping[str, Any]) -> list[Problem]:
    """The signature is an upload of the signed form, or the window's e-signature record."""
    signature = section(raw, "signature")
    if not signature:
        return []
    problems = []
    method, reference = signature.get("method"), signature.get("reference")
    if method == "e_signature" and not (isinstance(reference, str) and reference.strip()):
        msg = "使用窗口电子签名的，请填写电子签名的签署编号"
        problems.append(Problem("signature.reference", "required", msg))
    if method == SIGNED_FORM and not _attached(raw, SIGNED_FORM):
        msg = "请上传申请人签字确认的申请表（attachments 用途 signed_form）"
        problems.append(Problem("attachments", "signature.signed_form_required", msg))
    if signature.get("signer") == "agent" and raw.get("agent") is None:
        msg = "由受委托人签名的，请填写受委托人信息"
        problems.append(Problem("signature.signer", "signature.no_agent", msg))
    return problems


def sharing_problems(raw: Mapping[str, Any]) -> list[Problem]:
    """Without the authorisation to use shared data, the ID document cannot be obtained by
    sharing and is handed in: "能够通过数据共享获取的无需提供" (附件3 四（二）2②)."""
    if raw.get("data_sharing") is False and not _attached(raw, ID_DOCUMENT):
        msg = "未授权调取共享数据的，请上传有效身份证件图像（attachments 用途 id_document）"
        return [Problem("attachments", "data_sharing.id_document_required", msg)]
    return []


def channel_problems(form: Mapping[str, Any], window: bool) -> list[Problem]:
    """What the channel asks of a form: at the window the applicant's (or agent's) signature
    and their answer on shared data; online, no agent (a signature is welcome, not needed)."""
    if window:
        problems = []
        if form.get("signature") is None:
            msg = "窗口受理须由申请人或受委托人签字确认（上传签字的申请表或使用窗口电子签名）"
            problems.append(Problem("signature", "signature.required", msg))
        if form.get("data_sharing") is None:
            msg = "窗口受理须记录申请人是否授权调取电子证照和共享数据"
            problems.append(Problem("data_sharing", "data_sharing.required", msg))
        return problems
    if form.get("agent") is not None:
        msg = "线上申请须由申请人本人提交；委托他人代办请到综合受理窗口办理"
        return [Problem("agent", "agent.window_only", msg)]
    return []
