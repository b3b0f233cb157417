"""The dashboard and the organisation pages choose by role (compared against the enums)."""

from __future__ import annotations

from tests.blueprints.test_accounts import sign_in, world  # noqa: F401


def test_dashboard_sends_an_assessor_to_judging_and_a_student_to_their_programme(client, world) -> None:  # noqa: F811
    sign_in(client, "assessor@test.example")
    assert f"/assess/cohorts/{world['cohort']}" in client.get("/").get_data(as_text=True)
    client.delete_cookie("session")
    sign_in(client, "student@test.example")
    html = client.get("/").get_data(as_text=True)
    assert f"/assess/cohorts/{world['cohort']}" not in html and "Class A" in html


def test_an_administrator_sees_the_role_counts_of_the_organisation(client, world) -> None:  # noqa: F811
    sign_in(client, "org_admin@test.example")
    html = client.get(f"/orgs/{world['org']}").get_data(as_text=True)
    assert f"/orgs/{world['org']}/members?role=student" in html
    assert "<strong>2</strong>" in html  # two students
