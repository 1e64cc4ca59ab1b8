import pytest

from cleanasia.accounts.models import Role


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def owner(make_user):
    """A measure owner: an expert by role, owning measures through Measure.owner."""
    return make_user(Role.EXPERT)
