"""publish_scheduled as Wagtail's, except that one bad object stops nothing.

Wagtail's command stops at the first object that refuses its change (a
published update past an expiry date, for one: updates stay on the record),
before it has published any scheduled story, and so on every run after. This
one makes each change in its own transaction, reports each failure with the
object and the reason, and exits non-zero only after trying every one. Run it
from cron every few minutes (docs/operations.md).
"""

from django.apps import apps
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import DraftStateMixin, Page, Revision


class Command(WagtailCommand):
    help = (
        "Publish what is due and unpublish what has expired, each on its own; "
        "report each failure and exit 1 after trying everything."
    )

    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)
        failures = [*self.unpublish_expired(), *self.publish_due()]
        for what, error in failures:
            self.stderr.write(f"Could not {what}: {error}")
        if failures:
            raise CommandError(
                f"{len(failures)} scheduled change(s) failed; every other one was made."
            )
        return None

    def unpublish_expired(self):
        now = timezone.now()
        for model in scheduled_models():
            expired = model.objects.filter(live=True, expire_at__lt=now)
            for obj in list(expired.order_by("expire_at")):
                yield from attempt(
                    f"unpublish {describe(obj)}",
                    lambda obj=obj: obj.unpublish(
                        set_expired=True, log_action="wagtail.unpublish.scheduled"
                    ),
                )

    def publish_due(self):
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now())
        for revision in due.order_by("approved_go_live_at"):
            model = revision.content_type.model_class()
            yield from attempt(
                f"publish revision {revision.pk} of {model._meta.verbose_name} "
                f"{revision.object_id} “{revision.object_str}”",
                lambda revision=revision: revision.publish(
                    log_action="wagtail.publish.scheduled"
                ),
            )


def scheduled_models():
    others = [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]
    return [Page, *others]


def describe(obj):
    return f"{obj._meta.verbose_name} {obj.pk} “{obj}”"


def attempt(what, change):
    """Make `change` in a transaction of its own; yield (what, error) if it fails."""
    try:
        with transaction.atomic():
            change()
    # Any error is one object's: it is reported, and the next one is tried.
    except Exception as error:
        yield what, error
