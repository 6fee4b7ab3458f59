from django.urls import path

from stories import views

urlpatterns = [
    path("tags/<slug:tag>/", views.tag_page, name="tag"),
    path("authors/<slug:slug>/", views.author_page, name="author"),
    path("corrections/", views.corrections_log, name="corrections"),
]
