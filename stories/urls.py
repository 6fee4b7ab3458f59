from django.urls import path, re_path

from stories import views

urlpatterns = [
    path("tags/<slug:tag>/", views.tag_page, name="tag"),
    path("authors/<slug:slug>/", views.author_page, name="author"),
    path("corrections/", views.corrections_log, name="corrections"),
    path("record/", views.record_log, name="record_log"),
    path("record/log.json", views.record_log_json, name="record_log_json"),
    re_path(
        r"^record/(?:updates|statements|requests)/[\w-]+/\d+\.json$",
        views.record_snapshot,
        name="record_snapshot",
    ),
]
