from django.urls import path

from trackers import views

urlpatterns = [
    path(
        "trackers/<slug:slug>/timeline.json",
        views.tracker_timelinejs,
        name="tracker_timelinejs",
    ),
]
