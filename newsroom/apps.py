from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project package as an app: roles migration, demo command, site templates."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        # Both need the app registry, which is ready only now.
        # The list of lock-outs connects to django-axes' user_locked_out signal.
        from core.page_cache import connect_invalidation  # noqa: PLC0415
        from newsroom import lockouts  # noqa: F401, PLC0415

        connect_invalidation()

        # Every CSV export of the admin, Wagtail's own reports included.
        from core.spreadsheets import neutralise_csv_formulas  # noqa: PLC0415

        neutralise_csv_formulas()
