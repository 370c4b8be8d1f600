"""Who a management command acts as. By default the system (the operator has the server's shell);
`--as USERNAME` makes the command act as that user, checked by the authority table and named in the trail."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def actor_option(parser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        default=None,
        metavar="USERNAME",
        help="act as this user (their role is checked and they are named in the audit trail)",
    )


def resolve_actor(username: str | None):
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user named {username!r}")
    return user
