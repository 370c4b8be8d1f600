"""Group robots (DingTalk / WeCom / Feishu) that hear about the steps of promotion rounds, for the whole
company or one department. Optional: with none configured, the in-app inbox is the only channel."""

from __future__ import annotations

from django.conf import settings
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


class Message(models.Model):
    """A note in one user's inbox (站内通知) about a step that concerns them as a person: an honor awarded,
    their reward lines approved or paid. Written after the step's transaction commits (services.tell), in
    Chinese and English, so each reader sees it in their page's language; read once, then marked read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="messages", verbose_name=_("收件人")
    )
    kind = models.CharField(_("类型"), max_length=30)  # honor.award, reward.approve, reward.pay
    text = models.TextField(_("内容"))
    text_en = models.TextField(_("内容（英文）"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text[:60]

    def shown(self, lang: str) -> str:
        return self.text_en if lang.startswith("en") and self.text_en else self.text
