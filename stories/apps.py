from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        # Connects the receivers, once the models they name are loaded.
        from stories import signals  # noqa: F401, PLC0415
