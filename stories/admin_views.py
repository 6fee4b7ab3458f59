"""The admin's Withdraw action: a story comes down with a public reason.

A story that has been published is never unpublished (its address would
become a 404 with no reason). Withdrawing publishes a withdrawal update, and
the story's page becomes a tombstone that says when and why; its history and
updates stay public.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from stories.models import StoryPage, Update


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why it is withdrawn (public)",
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=20,
        max_length=Update._meta.get_field("text").max_length,
        help_text="Readers see this on the story's page instead of the story.",
    )


def can_withdraw(user, page):
    return (
        page.first_published_at is not None
        and page.permissions_for_user(user).can_publish()
        and user.has_perm("stories.publish_update")
    )


def withdraw(request, page_id):
    """GET: what readers will see, and the reason to give. POST: withdraw."""
    page = get_object_or_404(StoryPage, pk=page_id)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if not can_withdraw(request.user, page):
        raise PermissionDenied
    if page.withdrawal:
        messages.error(request, f"“{page.title}” is withdrawn already.")
        return redirect(edit_url)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            update = Update.objects.create(
                story=page,
                kind=Update.Kind.WITHDRAWAL,
                text=form.cleaned_data["reason"],
                live=False,
            )
            update.save_revision(user=request.user).publish(user=request.user)
        messages.success(request, f"“{page.title}” is withdrawn.")
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "stories/admin/withdraw.html",
        {"page": page, "form": form, "edit_url": edit_url},
        status=400 if form.errors else 200,
    )
