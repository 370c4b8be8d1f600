from django.core.management.base import BaseCommand, CommandError

from rungs.core.interchange.errors import DataError
from rungs.people.importer import apply, read_for_import


class Command(BaseCommand):
    help = "Import a data set (folder of CSV files or .xlsx): preview, then all-or-nothing / 导入数据"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    def handle(self, *args, path, dry_run, **opts):
        try:
            plan = read_for_import(path)
        except DataError as exc:
            raise CommandError(str(exc), returncode=2) from exc  # invalid input, as `rungs evaluate`
        self.stdout.write(plan.summary())
        if dry_run:
            self.stdout.write("dry run: nothing written / 预览，未写入")
        elif not plan.touches_anything:
            self.stdout.write("nothing to change / 数据无变化")
        else:
            apply(plan)
            self.stdout.write("imported / 已导入")
