"""Reader participation in the admin; each concern registers its own hooks."""

from wagtail import hooks

from participation import (
    account,  # noqa: F401  (the account settings panel)
    admin_views,
    inbox,  # noqa: F401  (the reader-report inbox)
)


@hooks.register("register_admin_urls")
def register_background_tasks_urls():
    return admin_views.admin_urls()


@hooks.register("register_reports_menu_item")
def register_background_tasks_menu_item():
    return admin_views.menu_item()
