"""The project's admin hooks: the login lock-outs view under Settings."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsroom.lockout_views import LockoutsView, can_release_lockouts


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_release_lockouts(request.user)


@hooks.register("register_admin_urls")
def register_lockouts_url():
    return [path("lockouts/", LockoutsView.as_view(), name="newsroom_lockouts")]


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(
        "Login lock-outs", reverse("newsroom_lockouts"), icon_name="lock", order=900
    )
