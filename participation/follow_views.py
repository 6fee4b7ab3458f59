"""Follow a story or tracker by email: subscribe, confirm, manage, unsubscribe.

Double opt-in without an account: the form takes an address and mails a
signed link (participation.tokens); the follow counts once the reader confirms
it with a POST from that link's page (mail systems' link scanners open GET
links, so a GET never confirms). Every answer to an address is the same
whether or not it already followed, so the form tells nobody who reads what.

Unsubscribing is one POST to the link in every mail, without a CSRF token
(RFC 8058: the mail client posts `List-Unsubscribe=One-Click` itself); the
signed token is the authority. Nothing here is cached: each answer is about
one reader.
"""

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.background import enqueue
from participation import follow_tasks, pages, tokens
from participation.forms import BOT_MESSAGE, FollowForm, limit_posts
from participation.models import Follow, Subscriber


def _bad_link(request, error):
    return render(
        request,
        "participation/follow/bad_link.html",
        {"message": error.message},
        status=400,
    )


def _bot(request):
    return render(request, "400.html", {"message": BOT_MESSAGE}, status=400)


def _followed(page_id):
    page = pages.followable(page_id)
    if page is None:
        raise Http404("There is no story or tracker to follow here.")
    return page


def start_following(page, email):
    """Keep `email` as an unconfirmed follower of `page` and mail it the link;
    an address that follows the page already is not mailed again."""
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        follow, _ = Follow.objects.get_or_create(subscriber=subscriber, page=page)
        if follow.confirmed_at is None:
            enqueue(follow_tasks.mail_confirmation, follow.pk)
    return follow


@never_cache
@limit_posts("follow")
def follow(request, page_id):
    """GET: the form. POST: mail a confirmation link, then 'check your inbox'."""
    page = _followed(page_id)
    form = FollowForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return _bot(request)
        if form.is_valid():
            start_following(page, form.cleaned_data["email"])
            return redirect("follow_sent", page_id=page.pk)
    return render(
        request,
        "participation/follow/follow_form.html",
        {"followed": page, "what": _what(page), "form": form},
        status=400 if form.errors else 200,
    )


def _what(page):
    return page.specific_class._meta.verbose_name.removesuffix(" page")


@never_cache
def follow_sent(request, page_id):
    page = _followed(page_id)
    return render(
        request,
        "participation/follow/check_inbox.html",
        {"followed": page, "what": _what(page)},
    )


@never_cache
def confirm(request, token):
    """GET: a Confirm button. POST: the follow counts from now (idempotent)."""
    try:
        follow = tokens.follow_to_confirm(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    page = follow.page.specific
    if request.method == "POST":
        Follow.objects.filter(pk=follow.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        return render(
            request,
            "participation/follow/confirmed.html",
            {"followed": page, "unsubscribe_token": tokens.unsubscribe_token(follow)},
        )
    return render(
        request,
        "participation/follow/confirm.html",
        {"followed": page, "already": follow.confirmed_at is not None},
    )


@csrf_exempt  # RFC 8058 one-click: the mail client posts without our cookie.
@never_cache
def unsubscribe(request, token):
    """GET: a Stop button. POST (the button, or a mail client's one-click): stop."""
    try:
        follow = tokens.follow_to_stop(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    page = follow.page.specific
    if request.method == "POST":
        stop_following(follow)
        return render(
            request, "participation/follow/unsubscribed.html", {"followed": page}
        )
    return render(
        request,
        "participation/follow/unsubscribe.html",
        {"followed": page, "email": follow.subscriber.email},
    )


def stop_following(follow):
    """Delete `follow`, and its subscriber once nothing else is followed:
    an address is kept only while it follows something."""
    with transaction.atomic():
        follow.delete()
        Subscriber.objects.filter(
            pk=follow.subscriber_id, follows__isnull=True
        ).delete()


@never_cache
@limit_posts("follow")
def manage_request(request):
    """GET: a form for an address. POST: mail it a link to its follows."""
    form = FollowForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return _bot(request)
        if form.is_valid():
            subscriber = Subscriber.objects.filter(
                email=form.cleaned_data["email"]
            ).first()
            if subscriber is not None:
                enqueue(follow_tasks.mail_manage_link, subscriber.pk)
            return redirect("follow_manage_sent")
    return render(
        request,
        "participation/follow/manage_request.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@never_cache
def manage_sent(request):
    return render(request, "participation/follow/check_inbox.html", {})


@never_cache
def manage(request, token):
    """An address's follows, each with a Stop button, and "delete everything"."""
    try:
        subscriber = tokens.subscriber_to_manage(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        if "delete" in request.POST:
            subscriber.delete()
            return render(request, "participation/follow/deleted.html", {})
        stop = request.POST.get("stop", "")
        follow = subscriber.follows.filter(pk=stop).first() if stop.isdigit() else None
        if follow is not None:
            stop_following(follow)
            if not Subscriber.objects.filter(pk=subscriber.pk).exists():
                return render(request, "participation/follow/deleted.html", {})
        return redirect("follow_manage", token=token)
    follows = subscriber.follows.select_related("page").order_by("page__title", "pk")
    return render(
        request,
        "participation/follow/manage.html",
        {"subscriber": subscriber, "follows": follows},
    )


urlpatterns = [
    path("follow/<int:page_id>/", follow, name="follow"),
    path("follow/<int:page_id>/sent/", follow_sent, name="follow_sent"),
    path("follow/confirm/<str:token>/", confirm, name="follow_confirm"),
    path("follow/unsubscribe/<str:token>/", unsubscribe, name="follow_unsubscribe"),
    path("follow/manage/", manage_request, name="follow_manage_request"),
    path("follow/manage/sent/", manage_sent, name="follow_manage_sent"),
    path("follow/manage/<str:token>/", manage, name="follow_manage"),
]
