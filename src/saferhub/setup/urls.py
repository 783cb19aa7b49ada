from django.urls import path

from . import views

app_name = "setup"
urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.partnership_new, name="partnership-new"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_edit, name="organisation-new"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation"),
    path("<slug:slug>/", views.tasks, name="tasks"),
    path("<slug:slug>/area/", views.area, name="area"),
    path("<slug:slug>/indicators/", views.indicators, name="indicators"),
    path("<slug:slug>/indicators/new/", views.indicator_edit, name="indicator-new"),
    path("<slug:slug>/indicators/<slug:code>/", views.indicator_edit, name="indicator"),
    path("<slug:slug>/indicators/<slug:code>/targets/", views.targets, name="targets"),
]
