"""Each test starts with an empty shared counter (core.tally): counts another test left are not folded in."""

import pytest

from xuthanh.campaigns import services
from xuthanh.core import tally


@pytest.fixture(autouse=True)
def empty_counter() -> None:
    for token in tally.take(services.TALLY):
        tally.done(services.TALLY, token)
