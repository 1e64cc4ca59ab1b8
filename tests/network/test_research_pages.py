"""The pages of joint research: who gets which page, what they show, the forms with their bad input, stale
edits, the public pages of public projects, and query budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.network.models import ResearchMilestone, ResearchOutput, ResearchProject
from cleanasia.network.services import research as services
from cleanasia.network.views import research as views

from ..conftest import ROLES
from ..factories import CountryFactory
from ..measures.factories import make_measure
from .test_research_builders import make_field, make_group, make_member, make_project, organisation

pytestmark = pytest.mark.django_db
STAFF = (Role.SECRETARIAT, Role.ADMIN)


@pytest.fixture
def projects():
    """A public project with partners, outputs of each kind, milestones and a measure; a secretariat-only one."""
    air = make_field("air")
    group = make_group(air, code="wg-air")
    public = make_project(
        code="air-asia",
        field=air,
        working_group=group,
        lead=organisation("JP", name_en="Institute for Global Environmental Strategies"),
        partners=[organisation("VN", name_en="Hanoi University of Science")],
        funder="Ministry of the Environment",
        funding_amount=12000000,
        title_en="Urban air quality in Asian cities",
        visibility="public",
    )
    services.output_add(actor=None, project=public, kind="publication", title="PM2.5 in Hanoi", doi="10.1234/pm25")
    services.output_add(actor=None, project=public, kind="dataset", title="Monitoring data", url="https://data.example")
    services.output_add(actor=None, project=public, kind="policy_brief", title="Brief for ministers")
    services.milestone_add(actor=None, project=public, due_on=public.starts_on, title_en="Kick-off workshop")
    measure = make_measure(visibility="public", code="M-AIR")
    services.project_link_measure(actor=None, project=public, measure=measure)
    secret = make_project(
        code="secret-study", field=make_field("water"), title_en="Confidential scoping", visibility="secretariat"
    )
    return {"public": public, "secret": secret, "group": group}


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- the list -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_each_role_the_projects_it_may_see(role, client_for, projects):
    client, _user = client_for(role)
    response = client.get(reverse("network:project-list"))
    if role == "public":
        assert response.status_code == 302
        assert "/accounts/" in response["Location"] or "login" in response["Location"]
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "Urban air quality in Asian cities" in html
    assert ("Confidential scoping" in html) == (role in STAFF)
    assert ("New project" in html) == (role in STAFF)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("field=air", "air-asia", "secret-study"),
        ("status=proposed", "air-asia", "nothing-else"),
        ("group=wg-air", "air-asia", "secret-study"),
        ("country=VN", "air-asia", "secret-study"),
    ],
)
def test_the_list_is_filtered_in_the_url(query, shown, hidden, client_for, projects):
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(reverse("network:project-list") + "?" + query).content.decode()
    assert shown in html
    assert hidden not in html
    assert "Clear the filters" in html


def test_the_list_is_paged(client_for, projects, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(reverse("network:project-list") + "?field=&page=2").content.decode()
    assert "Page 2 of 2" in html
    assert 'rel="prev"' in html


def test_the_list_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    air = make_field("air")
    for n in range(15):
        project = make_project(field=air, partners=[organisation("TH")], countries=[CountryFactory(code="TH")])
        services.milestone_add(actor=None, project=project, due_on=project.starts_on, title_en=f"M{n}")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("network:project-list"))
    assert response.status_code == 200


# --- the project page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_project_page_for_every_role(role, client_for, projects):
    client, _user = client_for(role)
    public = client.get(reverse("network:project-detail", args=[projects["public"].pk]))
    secret = client.get(reverse("network:project-detail", args=[projects["secret"].pk]))
    if role == "public":
        assert public.status_code == secret.status_code == 302
        return
    assert public.status_code == 200
    assert secret.status_code == (200 if role in STAFF else 404)
    assert ("Edit the project" in public.content.decode()) == (role in STAFF)


def test_the_project_page_shows_partners_funding_outputs_milestones_and_measures(client_for, projects):
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(reverse("network:project-detail", args=[projects["public"].pk])).content.decode()
    for text in (
        "Institute for Global Environmental Strategies",
        "Hanoi University of Science",
        "Ministry of the Environment",
        "12000000 JPY",
        "WG air",
        'href="https://doi.org/10.1234/pm25"',
        "Monitoring data",
        "Dataset",
        "Policy brief",
        "Kick-off workshop",
        "M-AIR",
        "Proposed",
        "Ongoing",  # the next status offered
    ):
        assert text in html, text


def test_an_overdue_milestone_says_so_in_words(client_for, projects):
    project = projects["public"]
    services.milestone_add(
        actor=None, project=project, due_on=timezone.localdate() - dt.timedelta(days=3), title_en="Late report"
    )
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(reverse("network:project-detail", args=[project.pk])).content.decode()
    assert "Overdue" in html
    assert "milestones are overdue" in html or "milestone is overdue" in html


def test_the_project_page_runs_a_fixed_number_of_queries(client_for, projects, django_assert_max_num_queries):
    project = projects["public"]
    for n in range(10):
        services.output_add(actor=None, project=project, kind="publication", title=f"Paper {n}")
        services.milestone_add(actor=None, project=project, due_on=project.starts_on, title_en=f"Step {n}")
    client, _user = client_for(Role.SECRETARIAT)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("network:project-detail", args=[project.pk]))
    assert response.status_code == 200


# --- forms -----------------------------------------------------------------------------------------------------------


def project_form(**overrides):
    lead = organisation("JP")
    data = {
        "code": "water-2026",
        "title_en": "River basins",
        "field": make_field("water").pk,
        "lead_organisation": lead.pk,
        "starts_on": "2026-04-01",
        "funding_currency": "JPY",
        "visibility": "public",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_gets_the_project_form(role, client_for):
    client, _user = client_for(role)
    response = client.get(reverse("network:project-create"))
    assert response.status_code == {"public": 302}.get(role, 200 if role in STAFF else 403)


def test_the_secretariat_records_a_project(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(reverse("network:project-create"), project_form())
    project = ResearchProject.objects.get(code="water-2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:project-detail", args=[project.pk])
    assert [c.code for c in project.countries.all()] == ["JP"]  # from the lead institution


@pytest.mark.parametrize(
    ("overrides", "label", "message"),
    [
        ({"code": "Bad Code"}, "Code", "Use small letters, digits and hyphens only"),
        ({"title_en": ""}, "Title (Japanese)", "Give the title in Japanese or in English."),
        ({"ends_on": "2026-01-01"}, "Ends", "A project cannot end before it starts"),
        ({"funding_currency": "1Y"}, "Currency", "Give the currency as its three-letter code"),
        ({"starts_on": "not a date"}, "Starts", "Enter a valid date."),
    ],
)
def test_bad_project_input_is_shown_at_the_field_and_nothing_is_written(client_for, overrides, label, message):
    client = english(client_for(Role.SECRETARIAT)[0])
    response = client.post(reverse("network:project-create"), project_form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{label}: {message}" in html
    assert not ResearchProject.objects.filter(code="water-2026").exists()


def test_the_lead_is_not_also_a_partner(client_for):
    client = english(client_for(Role.SECRETARIAT)[0])
    data = project_form()
    data["partner_organisations"] = [data["lead_organisation"]]
    response = client.post(reverse("network:project-create"), data)
    assert response.status_code == 400
    assert "Partner institutions: The lead institution is not also a partner" in response.content.decode()


def test_an_edit_saves_what_changed(client_for, projects):
    project = projects["public"]
    client, _user = client_for(Role.SECRETARIAT)
    form = client.get(reverse("network:project-edit", args=[project.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        field=project.field_id,
        working_group=project.working_group_id,
        lead_organisation=project.lead_organisation_id,
        partner_organisations=[o.pk for o in form.initial["partner_organisations"]],
        countries=[c.code for c in form.initial["countries"]],
        title_en="Urban air quality, second phase",
    )
    response = client.post(reverse("network:project-edit", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title_en == "Urban air quality, second phase"
    assert project.version == 2


def test_a_stale_edit_is_refused_with_the_other_change(client_for, projects):
    project = projects["public"]
    services.project_update(actor=None, project=project, expected_version=project.version, changes={"funder": "JICA"})
    client = english(client_for(Role.SECRETARIAT)[0])
    data = {
        "code": project.code,
        "title_en": "My title",
        "field": project.field_id,
        "lead_organisation": project.lead_organisation_id,
        "starts_on": project.starts_on.isoformat(),
        "funding_currency": "JPY",
        "visibility": "public",
        "version": 1,
    }
    response = client.post(reverse("network:project-edit", args=[project.pk]), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record while you were editing it" in html
    assert "JICA" in html
    project.refresh_from_db()
    assert project.title_en == "Urban air quality in Asian cities"


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_others_cannot_post_edits(role, client_for, projects):
    client, _user = client_for(role)
    project = projects["public"]
    assert client.post(reverse("network:project-edit", args=[project.pk]), {"title_en": "x"}).status_code == 403
    assert client.post(reverse("network:project-status", args=[project.pk]), {"status": "ongoing"}).status_code == 403
    assert client.post(reverse("network:output-create", args=[project.pk]), {"title": "x"}).status_code == 403


def test_a_working_group_member_sees_the_groups_secretariat_level_project(client_for, projects):
    project = make_project(
        code="group-only", field=projects["group"].field, working_group=projects["group"], visibility="secretariat"
    )
    client, user = client_for(Role.WG_MEMBER)
    make_member(projects["group"], user)
    assert client.get(reverse("network:project-detail", args=[project.pk])).status_code == 200


# --- outputs, milestones, status ------------------------------------------------------------------------------


def test_an_output_with_a_doi_address_is_stored_bare(client_for, projects):
    project = projects["public"]
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(
        reverse("network:output-create", args=[project.pk]),
        {"kind": "publication", "title": "Ozone trends", "doi": "https://doi.org/10.5555/ozone"},
    )
    assert response.status_code == 302
    assert ResearchOutput.objects.get(title="Ozone trends").doi == "10.5555/ozone"


def test_a_bad_doi_is_shown_at_the_field(client_for, projects):
    project = projects["public"]
    client = english(client_for(Role.SECRETARIAT)[0])
    response = client.post(
        reverse("network:output-create", args=[project.pk]),
        {"kind": "publication", "title": "Ozone trends", "doi": "not-a-doi"},
    )
    assert response.status_code == 400
    assert "DOI: This is not a DOI." in response.content.decode()
    assert not ResearchOutput.objects.filter(title="Ozone trends").exists()


def test_an_output_is_edited_and_a_stale_edit_refused(client_for, projects):
    output = ResearchOutput.objects.get(title="Brief for ministers")
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("network:output-edit", args=[output.pk])
    assert client.get(url).status_code == 200
    data = {"kind": "policy_brief", "title": "Brief for environment ministers", "version": output.version}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "title": "Older"}).status_code == 409
    output.refresh_from_db()
    assert output.title == "Brief for environment ministers"


def test_a_milestone_outside_the_project_is_refused_at_its_field(client_for, projects):
    project = projects["public"]
    client = english(client_for(Role.SECRETARIAT)[0])
    before = (project.starts_on - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("network:milestone-create", args=[project.pk]), {"title_en": "Too early", "due_on": before}
    )
    assert response.status_code == 400
    assert "Due: A milestone cannot be due before the project starts" in response.content.decode()
    assert not ResearchMilestone.objects.filter(title_en="Too early").exists()


def test_a_milestone_is_edited_and_marked_done(client_for, projects):
    milestone = ResearchMilestone.objects.get(title_en="Kick-off workshop")
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(
        reverse("network:milestone-edit", args=[milestone.pk]),
        {"title_en": "Kick-off meeting", "due_on": milestone.due_on.isoformat(), "version": milestone.version},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    response = client.post(reverse("network:milestone-done", args=[milestone.pk]), {"version": milestone.version})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title_en == "Kick-off meeting"
    assert milestone.done_on == timezone.localdate()


def test_a_milestone_done_in_the_future_is_refused_with_a_message(client_for, projects):
    milestone = ResearchMilestone.objects.get(title_en="Kick-off workshop")
    client = english(client_for(Role.SECRETARIAT)[0])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("network:milestone-done", args=[milestone.pk]),
        {"version": milestone.version, "done_on": tomorrow},
        follow=True,
    )
    assert "A milestone cannot be reached in the future" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_status_moves_on_and_a_wrong_step_is_explained(client_for, projects):
    project = projects["public"]
    client = english(client_for(Role.SECRETARIAT)[0])
    url = reverse("network:project-status", args=[project.pk])
    response = client.post(url, {"status": "completed", "version": project.version}, follow=True)
    assert "A project that is Proposed cannot become Completed." in response.content.decode()
    client.post(url, {"status": "ongoing", "version": project.version})
    project.refresh_from_db()
    assert project.status == "ongoing"


def test_a_project_is_linked_to_a_measure_and_unlinked(client_for, projects):
    project = projects["secret"]
    make_measure(visibility="public", code="M-WATER")
    client, _user = client_for(Role.SECRETARIAT)
    url = reverse("network:project-measures", args=[project.pk])
    linked = client.post(url, {"measure": "M-WATER", "relation": "advances"}, follow=True).content.decode()
    assert "<strong>M-WATER</strong>" in linked
    unlinked = client.post(url, {"measure": "M-WATER", "relation": "advances", "remove": "1"}, follow=True)
    assert "<strong>M-WATER</strong>" not in unlinked.content.decode()
    assert "The link to M-WATER was removed." in unlinked.content.decode()
    response = client.post(url, {"measure": "NOPE", "relation": "advances"}, follow=True)
    assert "No measure has this code." in response.content.decode()


# --- public pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_public_pages_show_public_projects_only_whoever_asks(role, client_for, projects):
    client, _user = client_for(role)
    listing = client.get(reverse("network_public:project-list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Urban air quality in Asian cities" in html
    assert "Confidential scoping" not in html
    detail = client.get(reverse("network_public:project-detail", args=[projects["public"].pk]))
    assert detail.status_code == 200
    assert 'href="https://doi.org/10.1234/pm25"' in detail.content.decode()
    assert "Edit the project" not in detail.content.decode()
    assert client.get(reverse("network_public:project-detail", args=[projects["secret"].pk])).status_code == 404


def test_the_public_page_shows_no_personal_data(client, projects):
    project = projects["public"]
    # A group member's contact details are never on a project's public page.
    member = make_member(projects["group"], None)
    member.person.email = "chair@example.org"
    member.person.save()
    html = client.get(reverse("network_public:project-detail", args=[project.pk])).content.decode()
    assert "chair@example.org" not in html
    assert "Mark as done" not in html  # no staff forms
    assert "Add an output" not in html


def test_the_public_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _n in range(12):
        make_project(countries=[CountryFactory(code="ID")])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network_public:project-list"))
    assert response.status_code == 200
