from django.core.management.base import BaseCommand

from rungs.core.interchange.writer import write_dataset
from rungs.datasets.frames import dataset_from_db


class Command(BaseCommand):
    help = "Export everything in the interchange format (folder of CSV files or .xlsx) / 导出数据"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **opts):
        target = write_dataset(dataset_from_db(), path)
        self.stdout.write(f"wrote {target}")
