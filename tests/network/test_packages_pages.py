"""The pages of the know-how catalogue, the country needs and the matching: who gets which page, what it shows
(every reason of every score, in words and symbols), the forms with their bad input, stale edits, the public
catalogue without personal data, and query budgets."""

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.network.models import CountryNeed, KnowHowPackage, PackageCase
from cleanasia.network.services import packages as services
from cleanasia.network.views.packages import parse_conditions

from ..conftest import ROLES
from ..factories import CountryFactory
from .test_packages_builders import make_case, make_field, make_need, make_package, organisation

pytestmark = pytest.mark.django_db
STAFF = (Role.SECRETARIAT, Role.ADMIN)


@pytest.fixture
def catalogue():
    """A public waste package fitting Viet Nam's need in part, a water package, a secretariat-only package,
    Viet Nam's need (secretariat level) and a Thai need."""
    eco = make_package(
        code="eco-town",
        fields=("waste",),
        kind="combination",
        title_en="Eco-town industrial symbiosis",
        problem_en="Industrial waste goes to landfill",
        fits_where_en="Industrial cities by the sea",
        conditions={"urban_population_min": 500000, "coastal": False, "income": ["lower_middle"]},
        cost_min=100000,
        cost_max=400000,
        cost_currency="USD",
        cobenefit_evidence_en="CO2 down 20% in Kitakyushu",
        providers=[organisation("JP", name_en="Kitakyushu City")],
    )
    make_case(eco, "VN", title_en="Hai Phong eco-industrial park", year=2019)
    make_package(code="sewage", fields=("water",), title_en="Johkasou decentralised treatment")
    make_package(code="secret-pkg", fields=("waste",), visibility="secretariat", title_en="Draft landfill package")
    need = make_need(
        country="VN",
        title_en="Industrial waste in Hai Phong",
        conditions={"urban_population": 1200000, "coastal": True},
        budget_max=500000,
        budget_currency="USD",
    )
    thai = make_need(country="TH", title_en="Bangkok food waste")
    return {"eco": eco, "need": need, "thai": thai}


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- the catalogue -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_catalogue_for_every_role(role, client_for, catalogue):
    client, _user = client_for(role)
    response = client.get(reverse("network:package-list"))
    if role == "public":
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert response.status_code == 200
    assert "Eco-town industrial symbiosis" in html
    assert ("Draft landfill package" in html) == (role in STAFF)
    assert ("New package" in html) == (role in STAFF)


def test_the_catalogue_is_filtered(client_for, catalogue):
    client, _user = client_for(Role.EXPERT)
    html = client.get(reverse("network:package-list") + "?kind=combination&field=waste&case_country=VN").content
    assert b"eco-town" in html
    assert b"sewage" not in html
    assert b"sewage" in client.get(reverse("network:package-list") + "?field=water").content


def test_the_package_page_shows_what_it_is_where_it_fits_cost_evidence_providers_and_cases(client_for, catalogue):
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(reverse("network:package-detail", args=[catalogue["eco"].pk])).content.decode()
    for text in (
        "Combination",
        "Industrial waste goes to landfill",
        "Industrial cities by the sea",
        "urban_population_min = 500000",
        "income = lower_middle",
        "100000 – 400000 USD",
        "CO2 down 20% in Kitakyushu",
        "Kitakyushu City",
        "Hai Phong eco-industrial park",
        "2019",
        "Add a case study",
    ):
        assert text in html, text


@pytest.mark.parametrize("role", ROLES)
def test_the_package_page_for_every_role(role, client_for, catalogue):
    client, _user = client_for(role)
    secret = KnowHowPackage.objects.get(code="secret-pkg")
    public = client.get(reverse("network:package-detail", args=[catalogue["eco"].pk]))
    hidden = client.get(reverse("network:package-detail", args=[secret.pk]))
    if role == "public":
        assert public.status_code == hidden.status_code == 302
        return
    assert public.status_code == 200
    assert hidden.status_code == (200 if role in STAFF else 404)
    assert ("Edit the package" in public.content.decode()) == (role in STAFF)


def test_the_catalogue_pages_run_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    for n in range(15):
        package = make_package(code=f"p-{n:02d}", fields=("waste", "air"), providers=[organisation("JP")])
        make_case(package, "VN")
    client, _user = client_for(Role.SECRETARIAT)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("network:package-list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("network:package-detail", args=[package.pk])).status_code == 200


def package_form(**overrides):
    data = {
        "code": "bio-gas",
        "title_en": "Biogas from food waste",
        "kind": "technology",
        "fields": [make_field("waste").pk],
        "problem_en": "Food waste rots in landfills",
        "conditions": "urban_population_min = 100000\nincome = lower_middle, upper_middle\ncoastal = yes",
        "cost_min": "1000",
        "cost_max": "5000",
        "cost_currency": "usd",
        "visibility": "public",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_gets_the_package_form(role, client_for):
    client, _user = client_for(role)
    response = client.get(reverse("network:package-create"))
    assert response.status_code == {"public": 302}.get(role, 200 if role in STAFF else 403)


def test_the_secretariat_adds_a_package_with_typed_conditions(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(reverse("network:package-create"), package_form())
    package = KnowHowPackage.objects.get(code="bio-gas")
    assert response.status_code == 302
    assert package.conditions == {
        "urban_population_min": 100000,
        "income": ["lower_middle", "upper_middle"],
        "coastal": True,
    }
    assert package.cost_currency == "USD"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"code": "Bio Gas"}, "Code: Use small letters, digits and hyphens only"),
        ({"problem_en": ""}, "Problem it solves (Japanese): Say what problem the package solves"),
        ({"cost_max": "10"}, "Cost up to: The upper cost cannot be below the lower one."),
        ({"conditions": "population_min = many"}, "Conditions for the matching: Some conditions cannot be read"),
        ({"conditions": "no equals sign here"}, "Conditions for the matching: Line 1: write one condition per line"),
        ({"kind": "gadget"}, "Kind: Select a valid choice."),
    ],
)
def test_bad_package_input_is_shown_at_the_field_and_nothing_is_written(client_for, overrides, expected):
    client = english(client_for(Role.SECRETARIAT)[0])
    response = client.post(reverse("network:package-create"), package_form(**overrides))
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not KnowHowPackage.objects.exists()


def test_a_package_edit_saves_and_a_stale_one_is_refused(client_for, catalogue):
    package = catalogue["eco"]
    client = english(client_for(Role.SECRETARIAT)[0])
    url = reverse("network:package-edit", args=[package.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        fields=[f.pk for f in form.initial["fields"]],
        providers=[o.pk for o in form.initial["providers"]],
        conditions="urban_population_min = 300000",
        title_en="Eco-town",
    )
    assert client.post(url, data).status_code == 302
    package.refresh_from_db()
    assert package.title_en == "Eco-town"
    assert package.conditions == {"urban_population_min": 300000}
    response = client.post(url, {**data, "title_en": "Older edit"})  # still version 1
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    package.refresh_from_db()
    assert package.title_en == "Eco-town"


def test_a_case_study_is_added_and_a_bad_year_refused_at_its_field(client_for, catalogue):
    package = catalogue["eco"]
    client = english(client_for(Role.SECRETARIAT)[0])
    url = reverse("network:case-create", args=[package.pk])
    CountryFactory(code="TH")
    response = client.post(url, {"country": "TH", "title_en": "Rayong", "year": "1800"})
    assert response.status_code == 400
    assert "Year: Give a year between 1950 and" in response.content.decode()
    assert client.post(url, {"country": "TH", "title_en": "Rayong", "year": "2020"}).status_code == 302
    case = PackageCase.objects.get(title_en="Rayong")
    edit = reverse("network:case-edit", args=[case.pk])
    assert client.get(edit).status_code == 200
    data = {"country": "TH", "title_en": "Rayong eco-industrial estate", "year": "2020", "version": case.version}
    assert client.post(edit, data).status_code == 302


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_others_cannot_change_the_catalogue(role, client_for, catalogue):
    client, _user = client_for(role)
    package = catalogue["eco"]
    assert client.post(reverse("network:package-edit", args=[package.pk]), {"title_en": "x"}).status_code == 403
    assert client.post(reverse("network:case-create", args=[package.pk]), {"title_en": "x"}).status_code == 403


# --- the public catalogue ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_public_catalogue_shows_public_packages_only(role, client_for, catalogue):
    client, _user = client_for(role)
    html = client.get(reverse("network_public:package-list")).content.decode()
    assert "Eco-town industrial symbiosis" in html
    assert "Draft landfill package" not in html
    detail = client.get(reverse("network_public:package-detail", args=[catalogue["eco"].pk]))
    assert detail.status_code == 200
    assert "Hai Phong eco-industrial park" in detail.content.decode()
    assert "Add a case study" not in detail.content.decode()
    secret = KnowHowPackage.objects.get(code="secret-pkg")
    assert client.get(reverse("network_public:package-detail", args=[secret.pk])).status_code == 404


def test_the_public_catalogue_holds_no_personal_data(client, make_user, catalogue):
    focal_point = make_user(Role.FOCAL_POINT, email="focal.vn@example.org")
    make_need(
        actor=focal_point, country="VN", visibility="public", title_en="Public need", conditions={"coastal": True}
    )
    for url in (
        reverse("network_public:package-list"),
        reverse("network_public:package-detail", args=[catalogue["eco"].pk]),
    ):
        html = client.get(url).content.decode()
        assert "focal.vn@example.org" not in html
        assert "Public need" not in html  # needs are not on the public pages


# --- needs ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_needs_register_for_every_role(role, client_for, catalogue):
    client, _user = client_for(role)  # a focal point of Viet Nam
    response = client.get(reverse("network:need-list"))
    if role == "public":
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert ("Industrial waste in Hai Phong" in html) == (role in (*STAFF, Role.FOCAL_POINT))
    assert ("Bangkok food waste" in html) == (role in STAFF)
    assert ("Register a need" in html) == (role in (*STAFF, Role.FOCAL_POINT))


@pytest.mark.parametrize("role", ROLES)
def test_the_matching_page_for_every_role(role, client_for, catalogue):
    client, _user = client_for(role)
    response = client.get(reverse("network:need-matches", args=[catalogue["need"].pk]))
    expected = {"public": 302}.get(role, 200 if role in (*STAFF, Role.FOCAL_POINT) else 404)
    assert response.status_code == expected


def test_a_focal_point_of_another_country_does_not_see_the_need(client_for, catalogue):
    client, _user = client_for(Role.FOCAL_POINT, country="TH")
    assert client.get(reverse("network:need-matches", args=[catalogue["need"].pk])).status_code == 404
    assert client.get(reverse("network:need-matches", args=[catalogue["thai"].pk])).status_code == 200


def test_the_matching_page_ranks_packages_and_shows_every_reason(client_for, catalogue):
    client = english(client_for(Role.FOCAL_POINT)[0])
    response = client.get(reverse("network:need-matches", args=[catalogue["need"].pk]))
    html = response.content.decode()
    # Only packages of the need's field that the focal point may see.
    assert "Eco-town industrial symbiosis" in html
    assert "Johkasou" not in html
    assert "Draft landfill package" not in html
    match = response.context["matches"][0]
    assert f"Score: {match['score']} out of 100" in html
    assert f'<meter min="0" max="100" low="40" high="70" optimum="100" value="{match["score"]}"' in html
    for sentence in (
        "Serves the need&#x27;s field.",
        "urban_population: the need&#x27;s 1,200,000 fits (the package asks for at least 500,000).",
        "coastal: the need&#x27;s yes does not fit (the package asks for no).",
        "income: the package asks for one of lower_middle; the need does not say.",
        "Cost: within the budget of 500,000 USD.",
        "A case study in the need&#x27;s country.",
        "Co-benefit evidence is documented.",
    ):
        assert sentence in html, sentence
    # Met, not met and unknown in words and symbols, not colour alone.
    for state in ('<span aria-hidden="true">✓</span> Met', '<span aria-hidden="true">✗</span> Not met'):
        assert state in html
    assert '<span aria-hidden="true">?</span> Unknown' in html
    assert "of 30" in html  # points out of the weight


def test_the_secretariat_sees_its_own_packages_in_the_ranking_and_sets_the_status(client_for, catalogue):
    client = english(client_for(Role.SECRETARIAT)[0])
    need = catalogue["need"]
    html = client.get(reverse("network:need-matches", args=[need.pk])).content.decode()
    assert "Draft landfill package" in html
    assert "Change the status" in html
    url = reverse("network:need-status", args=[need.pk])
    client.post(url, {"status": "matched", "version": need.version})
    need.refresh_from_db()
    assert need.status == "matched"
    response = client.post(url, {"status": "submitted", "version": need.version}, follow=True)
    assert "A need that is Matched cannot become Submitted." in response.content.decode()


def test_a_focal_point_cannot_set_the_status(client_for, catalogue):
    client, _user = client_for(Role.FOCAL_POINT)
    need = catalogue["need"]
    html = client.get(reverse("network:need-matches", args=[need.pk])).content.decode()
    assert "Change the status" not in html
    response = client.post(reverse("network:need-status", args=[need.pk]), {"status": "closed", "version": 1})
    assert response.status_code == 403


def test_the_matching_page_runs_a_fixed_number_of_queries(client_for, catalogue, django_assert_max_num_queries):
    for n in range(15):
        package = make_package(code=f"w-{n:02d}", fields=("waste",), conditions={"coastal": True})
        make_case(package, "TH")
    client, _user = client_for(Role.SECRETARIAT)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("network:need-matches", args=[catalogue["need"].pk]))
    assert len(response.context["matches"]) == 17


def need_form(**overrides):
    data = {
        "country": "VN",
        "field": make_field("waste").pk,
        "title_en": "Plastic on beaches",
        "conditions": "coastal = yes\nurban_population = 800000",
        "budget_max": "20000",
        "budget_currency": "USD",
        "visibility": "secretariat",
    }
    data.update(overrides)
    return data


def test_a_focal_point_registers_a_need_of_their_country(client_for):
    client, user = client_for(Role.FOCAL_POINT)
    form = client.get(reverse("network:need-create")).context["form"]
    assert [c.code for c in form.fields["country"].queryset] == ["VN"]
    response = client.post(reverse("network:need-create"), need_form())
    need = CountryNeed.objects.get(title_en="Plastic on beaches")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:need-matches", args=[need.pk])
    assert need.conditions == {"coastal": True, "urban_population": 800000}
    assert need.submitted_by == user


def test_a_focal_point_cannot_register_another_countrys_need(client_for):
    client = english(client_for(Role.FOCAL_POINT)[0])
    CountryFactory(code="TH")
    response = client.post(reverse("network:need-create"), need_form(country="TH"))
    assert response.status_code == 400
    assert "Country: Select a valid choice." in response.content.decode()
    assert not CountryNeed.objects.exists()


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER])
def test_others_cannot_register_needs(role, client_for):
    client, _user = client_for(role)
    assert client.get(reverse("network:need-create")).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"title_en": ""}, "Title (Japanese): Give the title in Japanese or in English."),
        ({"budget_max": "-5"}, "Budget up to: The amount cannot be negative."),
        ({"budget_currency": "dollars"}, "Currency: Ensure this value has at most 3 characters"),
        ({"conditions": '{"income": ["low"]}'}, "The country&#x27;s conditions: Some conditions cannot be read"),
        ({"conditions": "= 5"}, "The country&#x27;s conditions: Line 1: write one condition per line"),
    ],
)
def test_bad_need_input_is_shown_at_the_field_and_nothing_is_written(client_for, overrides, expected):
    client = english(client_for(Role.FOCAL_POINT)[0])
    response = client.post(reverse("network:need-create"), need_form(**overrides))
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not CountryNeed.objects.exists()


def test_a_focal_point_edits_their_need_until_it_is_matched(client_for, catalogue):
    need = catalogue["need"]
    client, _user = client_for(Role.FOCAL_POINT)
    url = reverse("network:need-edit", args=[need.pk])
    data = need_form(title_en="Industrial waste in Hai Phong and Da Nang", version=need.version)
    del data["country"]
    assert client.post(url, data).status_code == 302
    need.refresh_from_db()
    assert need.title_en == "Industrial waste in Hai Phong and Da Nang"
    stale = client.post(url, {**data, "title_en": "From an old tab"})
    assert stale.status_code == 409
    services.need_set_status(actor=None, need=need, expected_version=need.version, status="matched")
    assert client.get(url).status_code == 403


def test_typed_conditions_are_read_as_the_matching_reads_them():
    assert parse_conditions("a_min = 1_000\nb = yes\nc = x, y\nd = 2.5", lists=True) == {
        "a_min": 1000,
        "b": True,
        "c": ["x", "y"],
        "d": 2.5,
    }
    assert parse_conditions('{"coastal": true}', lists=False) == {"coastal": True}
    assert parse_conditions("c = x, y", lists=False) == {"c": "x, y"}
    assert parse_conditions("", lists=False) == {}


def test_the_conditions_stay_readable_in_the_form(client_for, catalogue):
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(reverse("network:package-edit", args=[catalogue["eco"].pk])).content.decode()
    assert "coastal = no\nincome = lower_middle\nurban_population_min = 500000" in html, "by name, on every database"
    assert services.clean_conditions(parse_conditions("coastal = no", lists=True), side="package") == {"coastal": False}


def test_the_matching_page_works_in_japanese(client_for, catalogue):
    from django.utils import translation

    client, _user = client_for(Role.SECRETARIAT)
    with translation.override("ja"):
        url = reverse("network:need-matches", args=[catalogue["need"].pk])
    assert url.startswith("/ja/")
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="ja"' in response.content.decode()
    assert "eco-town" in response.content.decode()
