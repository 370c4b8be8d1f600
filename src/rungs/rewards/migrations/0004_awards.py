# Awards on the ledger (rungs.rewards.awards): a run of kind "awards" per cycle, without a policy, holds the
# lines HR posts by hand; those lines have no policy either (plan "awards"). Making the line's policy
# nullable and adding the check constraint rebuild the table on SQLite, which would drop the frozen-line
# trigger silently: it is dropped first and made again over the same columns as 0003 (policy_id is frozen
# as before; NULL IS NOT NULL compares right on SQLite, IS DISTINCT FROM on PostgreSQL).
# The SQL is copied from 0003 on purpose: a migration is frozen history and imports no other module.
import django.db.models.deletion
from django.conf import settings
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


def thaw(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS rewards_line_frozen ON rewards_rewardline;")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS rewards_line_frozen;")


def freeze(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("policies", "0006_approval"),
        ("rewards", "0003_line_unit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(thaw, freeze),
        migrations.AddField(
            model_name="rewardrun",
            name="kind",
            field=models.CharField(
                choices=[("plans", "奖励方案"), ("awards", "专项奖励")],
                default="plans",
                max_length=10,
                verbose_name="类型",
            ),
        ),
        migrations.AlterField(
            model_name="rewardline",
            name="policy",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="policies.policy",
                verbose_name="策略版本",
            ),
        ),
        migrations.AlterField(
            model_name="rewardrun",
            name="policy",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reward_runs",
                to="policies.policy",
                verbose_name="策略版本",
            ),
        ),
        migrations.AddConstraint(
            model_name="rewardline",
            constraint=models.CheckConstraint(
                condition=models.Q(("policy__isnull", False), ("plan", "awards"), _connector="OR"),
                name="reward_line_policy_or_award",
            ),
        ),
        migrations.AddConstraint(
            model_name="rewardrun",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "plans"), ("policy__isnull", False)),
                    models.Q(("kind", "awards"), ("policy__isnull", True)),
                    _connector="OR",
                ),
                name="reward_run_plans_have_a_policy",
            ),
        ),
        migrations.AddConstraint(
            model_name="rewardrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "awards")), fields=("cycle",), name="one_awards_run_per_cycle"
            ),
        ),
        migrations.RunPython(freeze, thaw),
    ]
