"""Group robots (DingTalk / WeCom / Feishu) that hear about the steps of promotion rounds, for the whole
company or one department. Optional: with none configured, the in-app inbox is the only channel."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Department


class Robot(models.Model):
    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", _("钉钉")
        WECOM = "wecom", _("企业微信")
        FEISHU = "feishu", _("飞书")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉“加签”或飞书“签名校验”的密钥")
    )
    department = models.ForeignKey(
        Department, models.CASCADE, null=True, blank=True, verbose_name=_("部门"), help_text=_("空 = 全公司")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"
