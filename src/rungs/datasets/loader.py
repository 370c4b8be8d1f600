"""Replacing everything with one data set (the demo, a fresh install). Imports that keep what is stored
go through `rungs.datasets.importer`."""

from __future__ import annotations

from django.db import transaction

from rungs.core.interchange.dataset import Dataset
from rungs.datasets import importer
from rungs.people.models import Assignment, Department, Employee, Position, Team
from rungs.records.models import Evaluation, Event, Metric


@transaction.atomic
def replace_all(data: Dataset) -> importer.ImportPlan:
    for model in (Metric, Evaluation, Event, Assignment, Position):
        model.objects.all().delete()
    Employee.objects.update(manager=None)
    for model in (Employee, Team, Department):
        model.objects.all().delete()
    return importer.apply(importer.plan(data, "demo"))
