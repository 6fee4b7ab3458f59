"""Reader participation's public addresses, one list per concern."""

from participation import follow_views, policy_views, report_views

urlpatterns = [
    *report_views.urlpatterns,
    *policy_views.urlpatterns,
    *follow_views.urlpatterns,
]
