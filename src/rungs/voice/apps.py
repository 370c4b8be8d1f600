from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "rungs.voice"
    verbose_name = _("员工之声")

    def ready(self):
        # The suggestion reward's ledger line is a plain award to everyone but HR and the claimant, and the
        # trail's entries that name a claimant are HR's (rungs.rewards.awards, rungs.audit.trail).
        from rungs.audit.trail import restrict
        from rungs.rewards.awards import occasion_reader
        from rungs.voice.suggestions import may_read_claims, reward_occasions

        occasion_reader(reward_occasions)
        restrict("suggestion.claim", may_read_claims)
        restrict("suggestion.reward", may_read_claims)
