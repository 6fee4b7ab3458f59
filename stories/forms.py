"""Admin forms for the stories app."""

from wagtail.admin.forms import WagtailAdminModelForm


class UpdateForm(WagtailAdminModelForm):
    """Once an update is published only its wording can change, as a new version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.first_published_at:
            for name in ("story", "kind"):
                if name in self.fields:
                    self.fields[name].disabled = True
