"""Rows the platform writes itself (the audit, reference data, report forms, official figures) are shown in the
back office but no one, not even the province's administrator, adds, changes or deletes them there."""

from typing import Any

import pytest

READ_ONLY = ["core/auditentry", "areas/province", "stats/reportform", "stats/officialfigure"]


@pytest.mark.parametrize("model", READ_ONLY)
def test_the_administrator_sees_the_list_but_cannot_add_or_change(model: str, people: dict, client: Any) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["admin"])
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 403
    assert client.post(f"/admin/{model}/add/", {}).status_code == 403
