from django.urls import path

from sources import views

urlpatterns = [
    path("sources/", views.source_index, name="source_index"),
    path("sources/<slug:slug>/", views.source_page, name="source"),
]
