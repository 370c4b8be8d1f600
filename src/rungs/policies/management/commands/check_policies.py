"""`rungs manage check_policies [FILE ...]`: validates policy files, or every stored version, and prints
each error Chinese first (file:line:column, then the place in words). Exit status 1 when any is invalid.

A stored version was valid when it was uploaded; the language's checks grow stricter over releases, so
after an upgrade this says which stored versions the new checks refuse before a run trips on them."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import load_policy, parse_policy
from rungs.policies.models import Policy


class Command(BaseCommand):
    help = (
        "检查策略：给出文件时检查这些文件，否则检查数据库中的每个版本；有错误时退出码为 1 · "
        "validate policy files, or every stored version; exit status 1 on any error"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")

    def handle(self, *args, files, **opts):
        errors = 0
        checked = 0
        for label, check in self._targets(files):
            checked += 1
            try:
                parsed = check()
            except PolicyError as exc:
                errors += 1
                self.stdout.write(f"✗ {label}\n  {exc}")
                continue
            self.stdout.write(f"✓ {label}：{parsed.id} {parsed.version}")
        if not checked:
            self.stdout.write("没有需要检查的策略 · no policy to check")
            return
        if errors:
            raise CommandError(
                f"{errors} 个策略有错误（共检查 {checked} 个）· {errors} of {checked} policies are invalid"
            )
        self.stdout.write(f"全部 {checked} 个策略有效 · all {checked} policies are valid")

    def _targets(self, files):
        if files:
            for name in files:
                yield name, lambda name=name: load_policy(Path(name))
            return
        for p in Policy.objects.order_by("scheme", "effective_from", "version"):
            label = f"{p.scheme} {p.version}（{p.department or '全公司 company-wide'}）"
            yield label, lambda p=p: _stored(p)


def _stored(p: Policy):
    """Parses a stored version; its text must still name the scheme and version it is stored under."""
    file = f"{p.scheme}@{p.version}.yaml"
    parsed = parse_policy(p.text, file)
    if (parsed.id, parsed.version) != (p.scheme, p.version):
        raise PolicyError(
            f"文件写的是 {parsed.id} {parsed.version}，但保存为 {p.scheme} {p.version}",
            f"the text says {parsed.id} {parsed.version} but it is stored as {p.scheme} {p.version}",
            file=file,
        )
    return parsed
