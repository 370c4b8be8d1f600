import datetime as dt

import pytest

from rungs.accounts.demo import DEMO_PASSWORD, create_demo

AS_OF = dt.date(2026, 12, 1)


@pytest.fixture
def demo(db):
    """A small demo department (36 people: 3 teams of 12) with one login per role."""
    create_demo(36, as_of=AS_OF, seed=11)
    return DEMO_PASSWORD


def login(client, role: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=f"demo-{role}")
    client.force_login(user)
    return user
