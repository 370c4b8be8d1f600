"""Once filled Decision.soon_months for runs stored before the field existed, by importing the board's
code — a migration must not import live application code (it changes; the migration must not). The
fill is now the command `rungs manage fill_soon_months`; runs made since 0002 have the field anyway."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("policies", "0002_decision_soon_months")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
