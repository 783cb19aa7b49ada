from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<slug:slug>/performance/", views.report_latest, name="report-latest"),
    path("partnerships/<slug:slug>/performance/<str:period>/", views.report_page, name="report"),
    path("partnerships/<slug:slug>/performance/<str:period>.json", views.report_json, name="report-json"),
    path("partnerships/<slug:slug>/performance/<str:period>/download.<str:fmt>", views.report_download, name="report-download"),
]
