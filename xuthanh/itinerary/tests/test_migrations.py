"""Migration 0003 gives each trip stored before it its own edit token: the links already given out become view
links, and no two trips share an edit link."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("itinerary", "0002_trip_locked")]
AFTER = [("itinerary", "0003_trip_edit_token")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_trips_stored_before_get_distinct_edit_tokens_and_keep_their_share_tokens():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("itinerary", "Trip")
    shared = [old.objects.create(token=f"shared-link-{i}", request={}, plan={}).token for i in range(3)]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("itinerary", "Trip")
    rows = list(new.objects.filter(token__in=shared).values_list("token", "edit_token"))
    assert sorted(token for token, _edit in rows) == sorted(shared)
    edit_tokens = {edit for _token, edit in rows}
    assert len(edit_tokens) == 3 and all(len(edit) >= 40 for edit in edit_tokens)
    assert not edit_tokens & set(shared)
    new.objects.filter(token__in=shared).delete()
