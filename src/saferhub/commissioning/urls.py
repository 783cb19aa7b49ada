from django.urls import path

from . import views

app_name = "commissioning"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/appendices/", views.appendix_add, name="appendix-add"),
    path("projects/<int:pk>/appendices/<int:appendix_pk>/remove/", views.appendix_remove, name="appendix-remove"),
    path("returns/<int:pk>/", views.return_detail, name="return"),
    path("returns/<int:pk>/edit/", views.return_edit, name="return-edit"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return-submit"),
    path("returns/<int:pk>/review/", views.return_review, name="return-review"),
    path("half-year/<int:pk>/", views.half_year_return, name="half-year"),
    path("half-year/<int:pk>/claim/", views.half_year_claim, name="half-year-claim"),
    path("half-year/<int:pk>/return.<str:fmt>", views.half_year_download, name="half-year-download"),
    path("offices/<slug:slug>/", views.offices, name="offices"),
]
