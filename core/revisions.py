"""Published means frozen: a revision readers were shown is never rewritten.

Wagtail lets the author of the latest revision overwrite it in place (its
autosave path, `save_revision(overwrite_revision=...)`, reached from the edit
form's `overwrite_revision_id`), even when that revision is the published one.
`FrozenPublishedRevisionsMixin` turns such a save into a new revision, on every
path (the admin, a crafted POST, code), so what was published stays as it was.
"""

from wagtail.log_actions import registry as log_registry
from wagtail.models import DraftStateMixin

# The audit log's actions that mean "went public": by a person (or code), and
# by `publish_scheduled` at a go-live time. ("wagtail.publish.schedule", which
# only sets a go-live time, is not one.)
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def was_published(obj, revision):
    """Whether readers were ever shown `revision` of `obj`.

    Without draft state every saved revision is what readers saw.
    """
    if not isinstance(obj, DraftStateMixin):
        return True
    if revision.pk == obj.live_revision_id:
        return True
    logs = log_registry.get_logs_for_instance(obj)
    return logs.filter(revision=revision, action__in=PUBLISH_ACTIONS).exists()


class FrozenPublishedRevisionsMixin:
    """Saving over a published revision makes a new revision instead.

    Put it before Wagtail's mixins (or Page) in the bases.
    """

    def save_revision(self, *args, overwrite_revision=None, **kwargs):
        if overwrite_revision is not None and was_published(self, overwrite_revision):
            overwrite_revision = None
        return super().save_revision(
            *args, overwrite_revision=overwrite_revision, **kwargs
        )
