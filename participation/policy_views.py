"""/corrections/policy/: the corrections policy with live figures on reader reports."""

from django.http import Http404
from django.urls import path


def corrections_policy(request):
    raise Http404


urlpatterns = [
    path("corrections/policy/", corrections_policy, name="corrections_policy")
]
