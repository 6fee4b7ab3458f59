from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources"

    def ready(self):
        # Connects the receivers, once the models they name are loaded.
        from sources import signals  # noqa: F401, PLC0415
