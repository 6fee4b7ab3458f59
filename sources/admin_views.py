"""The admin's Redact action on a statement or a source (stories.models.redaction).

GET shows what readers will see (the marker, the editor's note and the stories
concerned) and asks for the public reason; POST redacts.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from sources.models import Source, Statement
from sources.panels import can_redact
from stories.models import StoryPage, redaction

OFF_THE_RECORD = "off_the_record"
NEW_WORDS = "new_words"


class RedactForm(forms.Form):
    reason = forms.CharField(
        label="Why (public)",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=500,
        help_text="Readers see this in place of the removed words and in the "
        "editor's note, e.g. “the official spoke on condition of anonymity”.",
    )


class RedactStatementForm(RedactForm):
    action = forms.ChoiceField(
        label="What to do",
        choices=[
            (OFF_THE_RECORD, "Take the statement off the record"),
            (NEW_WORDS, "Correct the quoted words"),
        ],
        widget=forms.RadioSelect,
        initial=OFF_THE_RECORD,
    )
    new_words = forms.CharField(
        label="Corrected words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when correcting the words: exactly as said.",
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == NEW_WORDS and not data.get("new_words", "").strip():
            self.add_error("new_words", "Give the corrected words.")
        return data


def _statement_target(statement, data):
    off = data["action"] == OFF_THE_RECORD
    what = "a statement" if off else "the words of a statement"
    return redaction.Target(
        statement_id=statement.pk,
        off_the_record=off,
        description=f"{what} by {statement.source.name}",
    )


def _change_statement(statement, data, user):
    def apply():
        if data["action"] == OFF_THE_RECORD:
            statement.on_the_record = False
        elif statement.quote:
            statement.quote = data["new_words"].strip()
        else:
            statement.summary = data["new_words"].strip()
        statement.save_revision(user=user).publish(user=user)

    return apply


def _change_source(source, user):
    def apply():
        source.is_confidential = True
        source.save_revision(user=user).publish(user=user)

    return apply


def redact(request, kind, pk):
    if not can_redact(request.user):
        raise PermissionDenied
    if kind == "statement":
        obj = get_object_or_404(Statement.objects.select_related("source"), pk=pk)
        form = RedactStatementForm(request.POST or None)
    elif kind == "source":
        obj = get_object_or_404(Source, pk=pk)
        form = RedactForm(request.POST or None)
    else:
        raise Http404("Only statements and sources are redacted.")
    edit_url = reverse(f"wagtailsnippets_sources_{kind}:edit", args=[pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if kind == "statement":
            target = _statement_target(obj, data)
            apply = _change_statement(obj, data, request.user)
        else:
            # The note must not repeat the name it removes.
            target = redaction.Target(
                source_id=obj.pk, description="the name of a source"
            )
            apply = _change_source(obj, request.user)
        outcome = redaction.redact(target, data["reason"], request.user, apply)
        messages.success(
            request,
            f"Redacted: {len(outcome.snapshots)} published version(s) now show "
            f"the removal, and {len(outcome.stories)} story(ies) have a new "
            "version with an editor's note.",
        )
        return redirect(edit_url)
    citing = StoryPage.objects.filter(citations__in=obj.citations.all()).distinct()
    return TemplateResponse(
        request,
        "sources/admin/redact.html",
        {
            "object": obj,
            "kind": kind,
            "form": form,
            "edit_url": edit_url,
            "stories": citing.order_by("title"),
            "marker": redaction.marker("<your reason>"),
        },
        status=400 if form.errors else 200,
    )
