from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rungs.core.policy.errors import PolicyError
from rungs.policies.models import Policy


class Command(BaseCommand):
    help = "Store a policy file as a new version (validated first) / 上传晋升策略"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **opts):
        path = Path(file)
        try:
            policy = Policy.from_text(path.read_text(encoding="utf-8"), str(path))
        except (PolicyError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if Policy.objects.filter(scheme=policy.scheme, version=policy.version).exists():
            raise CommandError(
                f"{policy.scheme} version {policy.version} is already stored; change `version:`"
            )
        policy.save()
        self.stdout.write(f"stored {policy.scheme} {policy.version}, effective {policy.effective_from}")
