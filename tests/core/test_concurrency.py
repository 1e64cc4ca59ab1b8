"""Optimistic concurrency and restore, on a real historied model (framework nodes)."""

import pytest

from cleanasia.core.concurrency import StaleEditError, record_restore, versioned_update
from cleanasia.core.context import request_context
from tests.factories import FrameworkNodeFactory

pytestmark = pytest.mark.django_db


def test_an_edit_from_the_current_version_is_saved_and_recorded(make_user):
    editor = make_user("secretariat")
    node = FrameworkNodeFactory(title_en="Old")
    with request_context("req-123"):
        updated = versioned_update(
            actor=editor, instance=node, expected_version=1, changes={"title_en": "New"}, action_code="test.edit"
        )
    assert updated.version == 2
    assert updated.title_en == "New"
    latest = updated.history.first()
    assert latest.history_user == editor
    assert latest.action_code == "test.edit"
    assert latest.request_id == "req-123"


def test_a_stale_edit_is_refused_and_says_what_changed(make_user):
    alice, bob = make_user("secretariat"), make_user("secretariat")
    node = FrameworkNodeFactory(title_en="Original")
    versioned_update(actor=alice, instance=node, expected_version=1, changes={"title_en": "Alice's"}, action_code="t")
    with pytest.raises(StaleEditError) as caught:
        versioned_update(actor=bob, instance=node, expected_version=1, changes={"title_en": "Bob's"}, action_code="t")
    node.refresh_from_db()
    assert node.title_en == "Alice's", "the first edit must not be overwritten"
    changed = {c.field: (c.old, c.new) for c in caught.value.changes}
    assert changed["title_en"] == ("Original", "Alice's")
    assert caught.value.by == str(alice)


def test_bookkeeping_fields_cannot_be_edited(make_user):
    node = FrameworkNodeFactory()
    with pytest.raises(ValueError, match="version"):
        versioned_update(
            actor=make_user("secretariat"), instance=node, expected_version=1, changes={"version": 9}, action_code="t"
        )


def test_restore_puts_back_an_earlier_version_as_a_new_version(make_user):
    actor = make_user("secretariat")
    node = FrameworkNodeFactory(title_en="First")
    versioned_update(actor=actor, instance=node, expected_version=1, changes={"title_en": "Second"}, action_code="t")
    first = node.history.order_by("history_id").first()
    restored = record_restore(
        actor=actor, instance=node, history_id=first.history_id, action_code="core.record.restored"
    )
    assert restored.title_en == "First"
    assert restored.version == 3
    assert restored.history.first().action_code == "core.record.restored"
