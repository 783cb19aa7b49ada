from django.urls import path

from . import data_views, views, web_views

app_name = "performance"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", web_views.dashboard, name="dashboard"),
    path("dashboard/partnership/", web_views.partnership_choose, name="partnership-choose"),
    path("indicators/<slug:code>/", web_views.indicator_page, name="indicator"),
    path("data/", data_views.data_page, name="data"),
    path("data/uploads/<int:pk>/", data_views.upload_page, name="upload"),
    path("data/uploads/<int:pk>/status.json", data_views.upload_status, name="upload-status"),
    path("data/uploads/<int:pk>/retry/", data_views.upload_retry, name="upload-retry"),
    path("reports/", web_views.reports_page, name="reports"),
    path("reports/download.<str:fmt>", web_views.report_download, name="reports-download"),
    path("partnerships/<slug:slug>/performance/", views.report_latest, name="report-latest"),
    path("partnerships/<slug:slug>/performance/<str:period>/", views.report_page, name="report"),
    path("partnerships/<slug:slug>/performance/<str:period>.json", views.report_json, name="report-json"),
    path(
        "partnerships/<slug:slug>/performance/<str:period>/download.<str:fmt>",
        views.report_download,
        name="report-download",
    ),
]
