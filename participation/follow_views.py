"""Follow a story or tracker by email: subscribe, confirm, manage, unsubscribe."""

from django.http import Http404
from django.urls import path


def follow(request, page_id):
    raise Http404


urlpatterns = [path("follow/<int:page_id>/", follow, name="follow")]
