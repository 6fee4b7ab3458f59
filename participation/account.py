"""Newsroom mail in each staff member's Wagtail account settings.

A panel on the account page's Notifications tab, beside Wagtail's own, with
the choices of MailPreferences: a mail for each new reader report, and the
daily digest. Until someone saves it they have no row, which means both on;
the first save creates it.
"""

from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from participation.forms import MailPreferencesForm
from participation.models import MailPreferences


class NewsroomMailSettingsPanel(BaseSettingsPanel):
    name = "newsroom_mail"
    title = "Newsroom mail"
    tab = notifications_tab
    order = 150
    form_class = MailPreferencesForm

    def is_active(self):
        # The people the mail is for: those who decide reader reports.
        return self.user.has_perm("participation.decide_correctionrequest")

    def get_form(self):
        instance = MailPreferences.objects.filter(
            user=self.user
        ).first() or MailPreferences(user=self.user)
        if self.request.method == "POST":
            return self.form_class(
                self.request.POST, instance=instance, prefix=self.name
            )
        return self.form_class(instance=instance, prefix=self.name)


@hooks.register("register_account_settings_panel")
def register_newsroom_mail_panel(request, user, profile):
    return NewsroomMailSettingsPanel(request, user, profile)
