from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project package as an app: roles migration, demo command, site templates."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from newsroom.page_cache import connect_invalidation

        connect_invalidation()
