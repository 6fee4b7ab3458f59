from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project package as an app: roles migration, demo command, site templates."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        # Connects the failed-login counter to Django's authentication signals.
        from core.page_cache import connect_invalidation
        from newsroom import login_throttle  # noqa: F401

        connect_invalidation()
