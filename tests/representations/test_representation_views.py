"""Claiming, withdrawing, verifying, rejecting and ending representations over HTTP,
with the permission matrix of each action."""

from __future__ import annotations

import pytest

from coalition.representations.models import RepresentationStatus
from tests.conftest import audit_actions, notification_kinds
from tests.representations.conftest import representation, representations_of


def roles(make_user):
    """Kinds of actor, made on demand."""
    return {
        "plain": lambda: make_user(),
        "delegate": lambda: make_user(represent="GHA"),
        "focal_point_same": lambda: make_user(represent="GHA", focal_point=True),
        "focal_point_other": lambda: make_user(represent="SEN", focal_point=True),
        "staff": lambda: make_user(staff=True),
    }


# -- claiming ---------------------------------------------------------------------------------


def test_the_claim_form_lists_every_participant_by_localized_name(client, make_user, login_as):
    login_as(make_user(locale="fr"))

    body = client.get("/participants/claim").get_data(as_text=True)

    assert '<option value="DEU">Allemagne</option>' in body
    assert body.index(">Allemagne<") < body.index(">Belgique<")


def test_claiming_creates_a_pending_claim_and_the_user_still_acts_for_no_one(
    client, make_user, login_as, read
):
    user = make_user()
    login_as(user)

    response = client.post(
        "/participants/claim",
        data={"participant": "GHA", "role": "delegate", "position": "First Secretary"},
    )

    assert response.status_code == 303
    reps = read(lambda: representations_of(user))
    assert [(r.status, r.position) for r in reps] == [
        (RepresentationStatus.PENDING, "First Secretary")
    ]
    page = client.get("/participants/claim").get_data(as_text=True)
    assert "waiting for verification" in page
    assert "You act for" not in page


def test_a_second_claim_is_a_field_error_and_creates_nothing(
    client, make_user, login_as, make_claim, read
):
    user = make_user()
    make_claim(user, "GHA")
    login_as(user)

    response = client.post("/participants/claim", data={"participant": "SEN", "role": "delegate"})

    assert response.status_code == 422
    assert 'id="participant-error"' in response.get_data(as_text=True)
    reps = read(lambda: [r.participant.code for r in representations_of(user)])
    assert reps == ["GHA"]


def test_claiming_an_unknown_participant_is_a_field_error(client, make_user, login_as, read):
    user = make_user()
    login_as(user)

    response = client.post("/participants/claim", data={"participant": "XXX", "role": "delegate"})

    assert response.status_code == 422
    assert "There is no participant with the code XXX." in response.get_data(as_text=True)
    assert read(lambda: representations_of(user)) == []


def test_claiming_needs_a_login(client):
    response = client.post("/participants/claim", data={"participant": "GHA", "role": "delegate"})

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_claimant_withdraws_their_pending_claim(client, make_user, login_as, make_claim, read):
    user = make_user()
    rep = make_claim(user)
    login_as(user)

    response = client.post(f"/participants/claim/{rep.id}/withdraw")

    assert response.status_code == 303
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.ENDED


@pytest.mark.parametrize("who", ["plain", "delegate", "focal_point_same", "staff"])
def test_nobody_else_withdraws_a_claim(client, make_user, login_as, make_claim, read, who):
    rep = make_claim(make_user())
    login_as(roles(make_user)[who]())

    response = client.post(f"/participants/claim/{rep.id}/withdraw")

    assert response.status_code == 403
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.PENDING
    assert read(lambda: audit_actions("representation", rep.id)) == ["representation.claim"]


# -- verifying and rejecting (staff) ---------------------------------------------------------------


def test_staff_verify_a_claim_and_the_person_is_told(client, make_user, login_as, make_claim, read):
    claimant = make_user()
    rep = make_claim(claimant)
    login_as(make_user(staff=True))

    response = client.post(f"/staff/representations/{rep.id}/verify")

    assert response.status_code == 303
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.VERIFIED
    assert read(lambda: audit_actions("representation", rep.id))[-1] == "representation.verify"
    assert read(lambda: notification_kinds(claimant)) == ["representation.verified"]


def test_after_verification_the_person_acts_for_the_participant(
    client, make_user, login_as, make_claim
):
    claimant = make_user()
    rep = make_claim(claimant)
    login_as(make_user(staff=True)).post(f"/staff/representations/{rep.id}/verify")

    login_as(claimant)
    body = client.get("/participants/GHA").get_data(as_text=True)

    assert "You act for Ghana." in body


def test_verifying_a_second_focal_point_is_refused_with_a_clear_message(
    client, make_user, login_as, make_claim, read
):
    make_user(represent="GHA", focal_point=True)
    rep = make_claim(make_user(), "GHA", role="focal_point")
    login_as(make_user(staff=True))

    response = client.post(f"/staff/representations/{rep.id}/verify", follow_redirects=True)

    assert "already has a verified focal point" in response.get_data(as_text=True)
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.PENDING


def test_staff_reject_a_claim_with_a_reason(client, make_user, login_as, make_claim, read):
    claimant = make_user()
    rep = make_claim(claimant)
    login_as(make_user(staff=True))

    response = client.post(
        f"/staff/representations/{rep.id}/reject", data={"reason": "Unknown to the mission."}
    )

    assert response.status_code == 303
    row = read(lambda: representation(rep.id))
    assert (row.status, row.reason) == (RepresentationStatus.REJECTED, "Unknown to the mission.")
    assert read(lambda: audit_actions("representation", rep.id))[-1] == "representation.reject"
    assert read(lambda: notification_kinds(claimant)) == ["representation.rejected"]


def test_rejecting_without_a_reason_is_a_field_error(client, make_user, login_as, make_claim, read):
    rep = make_claim(make_user())
    login_as(make_user(staff=True))

    response = client.post(f"/staff/representations/{rep.id}/reject", data={"reason": " "})

    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.PENDING


@pytest.mark.parametrize("action", ["verify", "reject"])
def test_deciding_a_claim_needs_a_login(client, make_user, make_claim, read, action):
    rep = make_claim(make_user())

    response = client.post(f"/staff/representations/{rep.id}/{action}", data={"reason": "x"})

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.PENDING


@pytest.mark.parametrize("action", ["verify", "reject"])
@pytest.mark.parametrize("who", ["claimant", "plain", "delegate", "focal_point_same"])
def test_only_staff_decide_claims(client, make_user, login_as, make_claim, read, action, who):
    claimant = make_user()
    rep = make_claim(claimant)
    login_as(claimant if who == "claimant" else roles(make_user)[who]())

    response = client.post(f"/staff/representations/{rep.id}/{action}", data={"reason": "x"})

    assert response.status_code == 403
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.PENDING
    assert read(lambda: audit_actions("representation", rep.id)) == ["representation.claim"]
    assert read(lambda: notification_kinds(claimant)) == []


def test_deciding_an_unknown_claim_is_404(client, make_user, login_as):
    login_as(make_user(staff=True))

    assert client.post("/staff/representations/999999/verify").status_code == 404


# -- ending -------------------------------------------------------------------------------


def verified_rep_of(read, user):
    return read(lambda: representations_of(user))[0]


@pytest.mark.parametrize("who", ["staff", "focal_point"])
def test_staff_or_the_focal_point_end_a_delegates_representation(
    client, make_user, login_as, read, who
):
    delegate = make_user(name="Yaw Boateng", represent="GHA")
    actor = (
        make_user(staff=True) if who == "staff" else make_user(represent="GHA", focal_point=True)
    )
    rep = verified_rep_of(read, delegate)
    login_as(actor)
    page = client.get("/participants/GHA").get_data(as_text=True)
    assert f"/representations/{rep.id}/end" in page

    response = client.post(f"/representations/{rep.id}/end", data={"reason": "Rotated home."})

    assert response.status_code == 303
    row = read(lambda: representation(rep.id))
    assert (row.status, row.reason) == (RepresentationStatus.ENDED, "Rotated home.")
    assert read(lambda: audit_actions("representation", rep.id)) == ["representation.end"]
    assert read(lambda: notification_kinds(delegate)) == ["representation.ended"]


def test_ending_someone_elses_representation_needs_a_reason(client, make_user, login_as, read):
    rep = verified_rep_of(read, make_user(represent="GHA"))
    login_as(make_user(staff=True))

    response = client.post(f"/representations/{rep.id}/end", data={"reason": ""})

    assert response.status_code == 422
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.VERIFIED


def test_a_delegate_ends_their_own_representation(client, make_user, login_as, read):
    delegate = make_user(represent="GHA")
    rep = verified_rep_of(read, delegate)
    login_as(delegate)

    response = client.post(f"/representations/{rep.id}/end", data={"reason": ""})

    assert response.status_code == 303
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.ENDED


def test_ending_needs_a_login(client, make_user, read):
    rep = verified_rep_of(read, make_user(represent="GHA"))

    response = client.post(f"/representations/{rep.id}/end", data={"reason": "x"})

    assert response.status_code == 302
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.VERIFIED


@pytest.mark.parametrize("who", ["plain", "delegate", "focal_point_other"])
def test_others_cannot_end_a_representation(client, make_user, login_as, read, who):
    rep = verified_rep_of(read, make_user(represent="GHA"))
    login_as(roles(make_user)[who]())

    get = client.get(f"/representations/{rep.id}/end")
    post = client.post(f"/representations/{rep.id}/end", data={"reason": "x"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert read(lambda: representation(rep.id).status) is RepresentationStatus.VERIFIED
    assert read(lambda: audit_actions("representation", rep.id)) == []
