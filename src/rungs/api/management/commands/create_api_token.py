from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rungs.api.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user and print its key once / 为用户创建 API 令牌（密钥只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for, e.g. helpdesk-sync")

    def handle(self, *args, username, name, **opts):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if not user.is_active:
            raise CommandError(f"user {username!r} is inactive")
        _, key = ApiToken.issue(user, name)
        self.stderr.write(
            f"token for {username} ({user.role}); store the key now, it is not shown again / 请立即保存密钥："
        )
        self.stdout.write(key)
