"""Staff pages: proposing and approving publications (mounted at /publishing/)."""

from django.urls import path

from . import manage_views as views

app_name = "publishing-manage"
urlpatterns = [
    path("", views.proposals_page, name="proposals"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.proposal_page, name="proposal"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
