"""The tracker page's admin form: the rule that keeps a figure series comparable."""

from wagtail.admin.forms import WagtailAdminPageForm


class TrackerPageForm(WagtailAdminPageForm):
    """Readings that share a label are one series, drawn as one chart, so they
    must measure the same thing the same way: one unit, one date precision.

    Checked here rather than in TrackerFigure.clean because a reading cannot
    see its siblings there: in the editor they are unsaved rows of the same
    formset, and only the page's form holds them all. Rows written by code
    (imports, the demo) skip forms, so the chart builder (trackers.charts)
    also leaves out readings that do not match their series.
    """

    def clean(self):
        cleaned_data = super().clean()
        figures = self.formsets.get("figures")
        # Validating the formset here fills each row's cleaned_data; Django
        # keeps the result, so the page's own validation does not repeat it.
        if figures is None or not figures.is_valid():
            return cleaned_data
        first = {}
        for form in figures.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("label"):
                continue
            measure = (data.get("unit", ""), data.get("precision"))
            if first.setdefault(data["label"], measure) == measure:
                continue
            unit, precision = first[data["label"]]
            form.add_error(
                "unit",
                f"Other readings of “{data['label']}” are in "
                f"“{unit or 'no unit'}” to the {precision}: a series holds "
                "comparable readings only. Give this one its own label, or "
                "the same unit and precision.",
            )
        return cleaned_data
