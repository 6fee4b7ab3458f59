"""The admin's "Login lock-outs" view: who is locked out, and a form to release them.

Open to superusers and to anyone who may change staff accounts
(auth.change_user); reached from Settings in the admin menu
(newsroom/wagtail_hooks.py).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newsroom import lockouts


def can_release_lockouts(user):
    return user.is_superuser or user.has_perm("auth.change_user")


class ReleaseLockoutForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    address = forms.GenericIPAddressField(
        required=False,
        label="Client address",
        help_text="Leave either empty to release every lock-out of the other.",
    )

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("username") and not cleaned_data.get("address"):
            raise forms.ValidationError("Name a username, an address, or both.")
        return cleaned_data


class LockoutsView(WagtailAdminTemplateMixin, FormView):
    page_title = "Login lock-outs"
    header_icon = "lock"
    template_name = "newsroom/lockouts.html"
    form_class = ReleaseLockoutForm

    def dispatch(self, request, *args, **kwargs):
        if not can_release_lockouts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockouts=lockouts.current_lockouts(),
            failure_limit=lockouts.failure_limit(),
            minutes=lockouts.cool_off_minutes(),
            **kwargs,
        )

    def form_valid(self, form):
        username = form.cleaned_data["username"]
        address = form.cleaned_data["address"]
        released = lockouts.release(username=username, address=address)
        if released:
            names = ", ".join(f"{user} from {addr}" for user, addr in released)
            messages.success(self.request, f"Released: {names}.")
        else:
            messages.warning(
                self.request, "Nothing to release: no such lock-out is in force."
            )
        return redirect(reverse("newsroom_lockouts"))
