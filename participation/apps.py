from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = "Reader participation"

    def ready(self):
        # Connects the receivers that record changes for followers.
        from participation import signals  # noqa: F401, PLC0415
