"""The public pages (no login): published versions only."""

from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:slug>/", views.public_partnership, name="partnership"),
    path("<slug:slug>/<str:period>/", views.public_version, name="latest"),
    path("<slug:slug>/<str:period>/figures.csv", views.public_csv, name="latest-csv"),
    path("<slug:slug>/<str:period>/v<int:number>/", views.public_version, name="version"),
    path("<slug:slug>/<str:period>/v<int:number>/figures.csv", views.public_csv, name="version-csv"),
    path("<slug:slug>/<str:period>/figures.json", views.public_json, name="latest-json"),
    path("<slug:slug>/<str:period>/v<int:number>/figures.json", views.public_json, name="version-json"),
]
