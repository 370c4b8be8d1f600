# A line's unit (yuan or points) is part of what it says, so it joins the frozen columns. The trigger of
# 0002 is dropped around the schema change (SQLite rebuilds the table, which would drop it silently) and
# made again over the new column list.
# The SQL is copied from 0002 on purpose: a migration is frozen history and imports no other module.
from django.db import migrations, models

FROZEN = (
    "employee_id",
    "policy_id",
    "run_id",
    "plan",
    "component",
    "cycle",
    "department",
    "amount",
    "unit",
    "explanation",
    "explanation_en",
    "inputs",
    "reverses_id",
    "corrects_id",
)
BEFORE = tuple(c for c in FROZEN if c != "unit")  # 0002's list, for going back
MESSAGE = "reward ledger lines are never edited: reverse them (奖励明细不能修改，只能冲销)"


def sqlite(columns):
    return f"""
CREATE TRIGGER rewards_line_frozen BEFORE UPDATE OF {", ".join(columns)} ON rewards_rewardline
FOR EACH ROW WHEN {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""


def postgres(columns):
    return f"""
CREATE OR REPLACE FUNCTION rungs_reward_line_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR {" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)} THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER rewards_line_frozen BEFORE UPDATE OR DELETE ON rewards_rewardline
    FOR EACH ROW EXECUTE FUNCTION rungs_reward_line_frozen();
"""


def thaw(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS rewards_line_frozen ON rewards_rewardline;")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS rewards_line_frozen;")


def _freeze(schema_editor, columns):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres(columns))
    elif vendor == "sqlite":
        schema_editor.execute(sqlite(columns))


def freeze(apps, schema_editor):
    _freeze(schema_editor, FROZEN)


def refreeze_before(apps, schema_editor):
    _freeze(schema_editor, BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("rewards", "0002_frozen_lines"),
    ]

    operations = [
        migrations.RunPython(thaw, refreeze_before),
        migrations.AddField(
            model_name="rewardline",
            name="unit",
            field=models.CharField(
                choices=[("yuan", "元"), ("points", "积分")],
                default="yuan",
                max_length=10,
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="rewardline",
            name="amount",
            field=models.DecimalField(decimal_places=2, max_digits=12, verbose_name="数额"),
        ),
        migrations.RunPython(freeze, thaw),
    ]
