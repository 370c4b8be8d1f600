from django.core.management.base import BaseCommand, CommandError

from rungs.accounts.authority import Denied
from rungs.accounts.cli import actor_option, resolve_actor
from rungs.core.interchange.errors import DataError
from rungs.datasets.services import import_commit, import_preview


class Command(BaseCommand):
    help = "Import a data set (folder of CSV files or .xlsx): preview, then all-or-nothing / 导入数据"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
        actor_option(parser)

    def handle(self, *args, path, dry_run, **opts):
        actor = resolve_actor(opts["as_user"])
        try:
            plan = (import_preview if dry_run else import_commit)(source=path, actor=actor)
        except DataError as exc:
            raise CommandError(str(exc), returncode=2) from exc  # invalid input, as `rungs evaluate`
        except Denied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(plan.summary())
        if dry_run:
            self.stdout.write("dry run: nothing written / 预览，未写入")
        elif not plan.touches_anything:
            self.stdout.write("nothing to change / 数据无变化")
        else:
            self.stdout.write("imported / 已导入")
