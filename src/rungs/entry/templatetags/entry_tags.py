from django import template

register = template.Library()


@register.filter
def who(user) -> str:
    """A user as people call them: full name, else username; a dash when nobody (deleted or a script)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
