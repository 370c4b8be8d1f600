from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rungs.accounts.authority import Denied
from rungs.accounts.cli import actor_option, resolve_actor
from rungs.core.policy.errors import PolicyError
from rungs.policies.services import DuplicateVersion, policy_create


class Command(BaseCommand):
    help = "Store a policy file as a new version (validated first) / 上传晋升策略"

    def add_arguments(self, parser):
        parser.add_argument("file")
        actor_option(parser)

    def handle(self, *args, file, **opts):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
            policy = policy_create(text=text, filename=str(path), actor=resolve_actor(opts["as_user"]))
        except (PolicyError, OSError, DuplicateVersion, Denied) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"stored {policy.scheme} {policy.version}, effective {policy.effective_from}")
