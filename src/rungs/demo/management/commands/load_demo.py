"""Fills an empty database with a synthetic department and one demo login per role."""

from django.core.management.base import BaseCommand
from django.db import transaction

from rungs.audit import clock
from rungs.demo.seed import DEMO_PASSWORD, create_demo
from rungs.people.models import Employee


class Command(BaseCommand):
    help = "Load demo data (a Chinese customer-service department) and demo users, if the database is empty."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=120)
        parser.add_argument("--force", action="store_true", help="replace existing data")

    @transaction.atomic
    def handle(self, *args, employees, force, **opts):
        if Employee.objects.exists() and not force:
            self.stdout.write("demo data already present (use --force to replace)")
            return
        users = create_demo(employees, as_of=clock.today())
        self.stdout.write(f"loaded {employees} employees; demo logins (password {DEMO_PASSWORD}):")
        for username, role in users:
            self.stdout.write(f"  {username:<20} {role}")
