from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rungs.accounts.authority import Denied
from rungs.accounts.cli import actor_option, resolve_actor
from rungs.api.services import TokenRefused, token_issue


class Command(BaseCommand):
    help = "Create an API token for a user and print its key once / 为用户创建 API 令牌（密钥只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for, e.g. helpdesk-sync")
        actor_option(parser)

    def handle(self, *args, username, name, **opts):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        try:
            _, key = token_issue(user=user, name=name, actor=resolve_actor(opts["as_user"]))
        except (TokenRefused, Denied) as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"token for {username} ({user.role}); store the key now, it is not shown again / 请立即保存密钥："
        )
        self.stdout.write(key)
