"""`cleanasia seed_demo`: deterministic, idempotent, clearly marked demonstration data that never touches real data."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cleanasia.accounts.demo import DEMO_PASSWORD, demo_totp_key
from cleanasia.accounts.models import Role, User
from cleanasia.core import demo
from cleanasia.core.models import DemoDataset
from cleanasia.directory import services
from cleanasia.directory.demo import DEMO_SOURCE
from cleanasia.directory.models import Affiliation, CountryGroup, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def foundation_modules_only(demo_modules):
    """The seeding's rules (determinism, idempotence, marking, reset) checked on the foundation's modules."""
    demo_modules("accounts", "directory")


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def reference(db):
    call_command("load_reference", stdout=io.StringIO())


def _snapshot() -> dict[str, list]:
    return {
        "organisations": list(
            Organisation.objects.filter(is_demo=True, source=DEMO_SOURCE)
            .order_by("pk")
            .values_list("name_en", "name_ja", "country_id")
        ),
        "people": list(
            Person.objects.filter(is_demo=True, source=DEMO_SOURCE)
            .order_by("pk")
            .values_list("name_en", "name_ja", "country_id", "visibility", "email")
        ),
        "affiliations": list(
            Affiliation.objects.filter(is_demo=True, person__source=DEMO_SOURCE)
            .order_by("pk")
            .values_list("person__name_en", "organisation__name_en", "position_en", "started_on", "ended_on")
        ),
    }


def _fresh_run(seed_value: int) -> dict[str, list]:
    """Seed inside a savepoint that is rolled back: each call starts from the same fresh database."""
    with transaction.atomic():
        seed(scale=1, seed=seed_value)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_the_same_seed_gives_the_same_records_on_a_fresh_database(reference):
    first, second = _fresh_run(7), _fresh_run(7)
    assert first == second
    assert len(first["organisations"]) == 40
    assert len(first["people"]) == 400
    assert _fresh_run(8)["people"] != first["people"], "another seed gives other people"


def test_running_again_with_the_same_scale_and_seed_changes_nothing(reference):
    seed(scale=1, seed=3)
    counts = (Organisation.objects.count(), Person.objects.count(), User.objects.count(), Person.history.count())
    output = seed(scale=1, seed=3)
    from cleanasia.core.demo import autodiscover

    assert output.count("already loaded") == len(autodiscover())
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Person.history.count(),
    ) == counts


def test_every_generated_record_is_marked_and_affiliated_only_with_invented_organisations(reference):
    seed(scale=1, seed=1)
    assert not Person.objects.filter(is_demo=True, source="").exists()
    assert not Affiliation.objects.filter(is_demo=True, organisation__is_demo=False).exists()
    assert not Organisation.objects.filter(is_demo=True, name_en__icontains="demo").exists(), "the badge marks them"
    japanese = Person.objects.filter(is_demo=True, country="JP")
    assert japanese.exists()
    assert not japanese.filter(name_ja="").exists()
    # Some others have no Japanese name, so the pages show the "not yet translated" marker.
    assert Person.objects.filter(is_demo=True, name_ja="").exclude(country="JP").exists()
    assert set(Person.objects.filter(is_demo=True, source=DEMO_SOURCE).values_list("visibility", flat=True)) == {
        "public",
        "members",
        "secretariat",
    }
    assert (
        Person.history.filter(is_demo=True, source=DEMO_SOURCE).count()
        == Person.objects.filter(is_demo=True, source=DEMO_SOURCE).count()
    )
    assert DemoDataset.objects.get(module="directory").summary["people"] == 400


def test_reset_removes_only_demonstration_rows(reference, make_user):
    real_person = services.person_create(actor=make_user("secretariat"), name_en="A Real Official")
    real = (Organisation.objects.filter(is_demo=False).count(), CountryGroup.objects.count())
    seed(scale=1, seed=1)
    before = _snapshot()
    output = seed(scale=1, seed=1, reset=True)
    assert "Removing demonstration data" in output
    assert _snapshot() == before, "regenerated alike"
    assert Person.objects.filter(pk=real_person.pk).exists()
    assert (Organisation.objects.filter(is_demo=False).count(), CountryGroup.objects.count()) == real
    assert Person.objects.filter(is_demo=True, source=DEMO_SOURCE).count() == 400, (
        "old demonstration rows were removed, not doubled"
    )
    assert Person.history.filter(is_demo=True, source=DEMO_SOURCE).count() == 400, "their history went with them"


def test_another_scale_replaces_the_demonstration_data(reference):
    seed(scale=1, seed=1)
    output = seed(scale=2, seed=1)
    assert "Replacing demonstration data" in output
    assert Organisation.objects.filter(is_demo=True, source=DEMO_SOURCE).count() == 80
    assert Person.objects.filter(is_demo=True, source=DEMO_SOURCE).count() == 800
    assert set(DemoDataset.objects.values_list("scale", flat=True)) == {2}


def test_reset_is_refused_while_a_real_record_refers_to_demonstration_data(reference, make_user):
    seed(scale=1, seed=1)
    actor = make_user("secretariat")
    real_person = services.person_create(actor=actor, name_en="A Real Official")
    invented = Organisation.objects.filter(is_demo=True, source=DEMO_SOURCE).order_by("pk").first()
    services.affiliation_add(actor=actor, person=real_person, organisation=invented)
    with pytest.raises(CommandError, match="real records"):
        seed(scale=1, seed=1, reset=True)
    assert Organisation.objects.filter(is_demo=True, source=DEMO_SOURCE).count() == 40, "nothing was removed"


def test_a_failing_generator_leaves_the_demonstration_data_as_it_was(reference, monkeypatch):
    def broken(rng, scale, stdout):
        raise RuntimeError("generator failed")

    demo.autodiscover()
    monkeypatch.setitem(demo._REGISTRY, "zz-broken", demo.DemoModule("zz-broken", broken, ()))
    with pytest.raises(RuntimeError):
        seed(scale=1, seed=1)
    assert not DemoDataset.objects.exists()
    assert not Person.objects.filter(is_demo=True, source=DEMO_SOURCE).exists()


def test_seeding_without_reference_data_says_what_to_do(db):
    with pytest.raises(CommandError, match="load_reference"):
        seed(scale=1, seed=1)


def test_one_demonstration_account_per_role_signs_in_with_the_published_password(reference):
    output = seed(scale=1, seed=1)
    accounts = {
        "secretariat@demo.cleanasia.invalid": Role.SECRETARIAT,
        "admin@demo.cleanasia.invalid": Role.ADMIN,
        "focal-point-vn@demo.cleanasia.invalid": Role.FOCAL_POINT,
        "focal-point-th@demo.cleanasia.invalid": Role.FOCAL_POINT,
        "wg-member@demo.cleanasia.invalid": Role.WG_MEMBER,
        "expert@demo.cleanasia.invalid": Role.EXPERT,
    }
    for email, role in accounts.items():
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD), email
        assert user.is_demo
        assert user.has_role(role)
        assert email in output
    assert User.objects.get(email="focal-point-vn@demo.cleanasia.invalid").focal_point_countries == {"VN"}
    registered = User.objects.get(email="registered@demo.cleanasia.invalid")
    assert registered.check_password(DEMO_PASSWORD)
    assert registered.role_codes == set()
    assert "password for every account: cleanasia-demo" in output
    assert "otp_code secretariat@demo.cleanasia.invalid" in output
    assert "otp_code expert@demo.cleanasia.invalid" not in output


def test_the_secretariat_demo_account_has_an_authenticator_with_the_documented_key(reference):
    seed(scale=1, seed=1)
    email = "secretariat@demo.cleanasia.invalid"
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    assert device.key == demo_totp_key(email)
    out = io.StringIO()
    call_command("otp_code", email, stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_seeding_leaves_planner_statistics_of_the_new_rows_on_postgresql(reference):
    """Without ANALYZE inside the seeding transaction, PostgreSQL planned the next queries for empty tables."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite plans from its indexes; only PostgreSQL keeps row estimates")
    seed(scale=1, seed=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Person._meta.db_table])
        (estimate,) = cursor.fetchone()
    assert estimate >= Person.objects.filter(is_demo=True, source=DEMO_SOURCE).count() * 0.9
    assert demo._tables_of([Person])[:1] == [Person._meta.db_table]
    assert Person.history.model._meta.db_table in demo._tables_of([Person])
