"""The window's part of the form (docs/domain.md §3; 附件3 四（二）3②, 附件2): the agent who acts
for the applicant, the signature, the applicant's answer on shared data, and what each channel
asks of them."""

from __future__ import annotations

import pytest

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain.window import channel_problems
from tests.unit.test_application_rules import form, pairs

AGENT = {
    "name": "李四",
    "id_type": "resident_id_card",
    "id_number": "410302198505050022",
    "relationship": "配偶",
}
AUTHORISATION = {"purpose": "authorisation", "key": "uploads/clerk-1/authorisation/a.pdf"}
SIGNED_FORM = {"purpose": "signed_form", "key": "uploads/clerk-1/signed_form/b.pdf"}
E_SIGNATURE = {"signer": "applicant", "method": "e_signature", "reference": "ES-0001-AB"}


def test_an_agent_with_a_valid_id_and_the_applicants_authorisation_passes():
    raw = form(agent=AGENT, attachments=[AUTHORISATION], signature=E_SIGNATURE)
    assert pairs(raw) == set()


def test_an_agents_id_number_is_checked_like_the_applicants():
    agent = {**AGENT, "id_number": "410302198505050021"}
    raw = form(agent=agent, attachments=[AUTHORISATION])
    assert pairs(raw) == {("agent.id_number", "id_number.check_digit")}
    permit = {**AGENT, "id_type": "hk_macao_permit", "id_number": "X1234567"}
    assert pairs(form(agent=permit, attachments=[AUTHORISATION])) == {
        ("agent.id_number", "id_number.format")
    }


def test_an_agent_needs_the_authorisation_and_cannot_be_the_applicant():
    assert pairs(form(agent=AGENT)) == {("attachments", "agent.authorisation_required")}
    # The applicant's social security card is the same person as their resident ID card.
    applicant = APPLICATION_EXAMPLE["applicant"]
    same = {**AGENT, "id_type": "social_security_card", "id_number": applicant["id_number"]}
    assert pairs(form(agent=same, attachments=[AUTHORISATION])) == {
        ("agent.id_number", "agent.same_as_applicant")
    }


@pytest.mark.parametrize(
    ("signature", "attachments", "expected"),
    [
        (E_SIGNATURE, [], set()),
        ({"method": "signed_form"}, [SIGNED_FORM], set()),
        ({"method": "e_signature"}, [], {("signature.reference", "required")}),
        (
            {"method": "signed_form"},
            [],
            {("attachments", "signature.signed_form_required")},
        ),
        (
            {**E_SIGNATURE, "signer": "agent"},
            [],
            {("signature.signer", "signature.no_agent")},
        ),
    ],
)
def test_a_signature_is_the_signed_form_or_the_windows_e_signature(
    signature, attachments, expected
):
    assert pairs(form(signature=signature, attachments=attachments)) == expected


def test_without_the_authorisation_to_share_data_the_id_document_is_handed_in():
    assert pairs(form(data_sharing=False)) == {("attachments", "data_sharing.id_document_required")}
    document = {"purpose": "id_document", "key": "uploads/x/id_document/c.jpg"}
    assert pairs(form(data_sharing=False, attachments=[document])) == set()
    assert pairs(form(data_sharing=True)) == set()


def test_the_window_needs_a_signature_and_the_answer_on_shared_data():
    codes = {(p.field, p.code) for p in channel_problems(form(), window=True)}
    assert codes == {
        ("signature", "signature.required"),
        ("data_sharing", "data_sharing.required"),
    }
    assert channel_problems(form(signature=E_SIGNATURE, data_sharing=False), window=True) == []


def test_online_the_applicant_acts_alone_and_needs_no_signature():
    assert channel_problems(form(), window=False) == []
    assert channel_problems(form(signature=E_SIGNATURE), window=False) == []
    [problem] = channel_problems(form(agent=AGENT), window=False)
    assert (problem.field, problem.code) == ("agent", "agent.window_only")
    assert "综合受理窗口" in problem.message
