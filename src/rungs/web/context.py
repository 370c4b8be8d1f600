"""Template context for every page: what the signed-in user may do (`can`), from the authority table."""

from rungs.accounts.authority import abilities as _abilities


def abilities(request) -> dict:
    user = getattr(request, "user", None)
    return {"can": _abilities(user) if user is not None and user.is_authenticated else {}}
