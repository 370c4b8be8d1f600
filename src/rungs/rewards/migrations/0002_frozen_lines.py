# A ledger line is never edited: in the database itself an UPDATE that changes what a line says (who,
# which plan and cycle, the amount, the explanation, the frozen inputs, what it reverses) is refused, on
# SQLite and PostgreSQL alike; only its state and the approval/payment stamps move. On PostgreSQL a DELETE
# is refused too (TRUNCATE is left to the table's owner: the test runner empties tables with it; SQLite's
# flush deletes rows, so there only updates are refused).
from django.db import migrations

FROZEN = (
    "employee_id",
    "policy_id",
    "run_id",
    "plan",
    "component",
    "cycle",
    "department",
    "amount",
    "explanation",
    "explanation_en",
    "inputs",
    "reverses_id",
    "corrects_id",
)
MESSAGE = "reward ledger lines are never edited: reverse them (奖励明细不能修改，只能冲销)"

SQLITE = f"""
CREATE TRIGGER rewards_line_frozen BEFORE UPDATE OF {", ".join(FROZEN)} ON rewards_rewardline
FOR EACH ROW WHEN {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
POSTGRES = f"""
CREATE OR REPLACE FUNCTION rungs_reward_line_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR {" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)} THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER rewards_line_frozen BEFORE UPDATE OR DELETE ON rewards_rewardline
    FOR EACH ROW EXECUTE FUNCTION rungs_reward_line_frozen();
"""


def freeze(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def thaw(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS rewards_line_frozen ON rewards_rewardline;")
        schema_editor.execute("DROP FUNCTION IF EXISTS rungs_reward_line_frozen();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS rewards_line_frozen;")


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]

    operations = [migrations.RunPython(freeze, thaw)]
