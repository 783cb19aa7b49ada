"""A URL configuration with the commissioning and governance set-up pages that another part of
issue 15 adds, for the task list's links to be tested whichever is merged first."""

from django.http import HttpResponse
from django.urls import include, path


def _page(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("commissioning/", include(([path("<slug:slug>/setup/", _page, name="setup-funds")], "commissioning"))),
    path("governance/", include(([path("setup/", _page, name="setup-board")], "governance"))),
]
