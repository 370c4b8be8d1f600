from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "rungs.voice"
    verbose_name = _("员工之声")

    def ready(self):
        # The trail's entries that name a claimant are read by whoever reads the claims (rungs.audit.trail);
        # the reward's ledger line is an undisclosed award (rungs.rewards.awards).
        from rungs.audit.trail import restrict
        from rungs.voice.suggestions import may_read_claims

        restrict("suggestion.claim", may_read_claims)
        restrict("suggestion.reward", may_read_claims)
