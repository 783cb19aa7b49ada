from django.urls import path

from . import setup_views as s
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
    # Setting up a partnership's funds (the task list's "funds and projects").
    path("<slug:slug>/setup/", s.setup_funds, name="setup-funds"),
    path("<slug:slug>/setup/funds/add/", s.fund_add, name="setup-fund-add"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/", s.fund_page, name="setup-fund"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/edit/", s.fund_edit, name="setup-fund-edit"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/retire/", s.fund_retire, name="setup-fund-retire"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/awards/add/", s.award_add, name="setup-award-add"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/awards/<int:pk>/", s.award_edit, name="setup-award-edit"),
    path(
        "<slug:slug>/setup/funds/<slug:fund_slug>/awards/<int:pk>/carry-forward/",
        s.carry_forward,
        name="setup-carry-forward",
    ),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/claims/<str:period>/", s.claim_edit, name="setup-claim"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/intentions/add/", s.intention_add, name="setup-intention-add"),
    path(
        "<slug:slug>/setup/funds/<slug:fund_slug>/intentions/<int:pk>/", s.intention_edit, name="setup-intention-edit"
    ),
    path(
        "<slug:slug>/setup/funds/<slug:fund_slug>/intentions/<int:pk>/retire/",
        s.intention_retire,
        name="setup-intention-retire",
    ),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/projects/add/", s.project_add, name="setup-project-add"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/projects/<int:pk>/", s.project_page, name="setup-project"),
    path("<slug:slug>/setup/funds/<slug:fund_slug>/projects/<int:pk>/edit/", s.project_edit, name="setup-project-edit"),
    path(
        "<slug:slug>/setup/funds/<slug:fund_slug>/projects/<int:pk>/retire/",
        s.project_retire,
        name="setup-project-retire",
    ),
    path(
        "<slug:slug>/setup/funds/<slug:fund_slug>/projects/<int:pk>/<str:kind>/add/", s.part_add, name="setup-part-add"
    ),
    path(
        "<slug:slug>/setup/funds/<slug:fund_slug>/projects/<int:pk>/<str:kind>/<int:part_pk>/",
        s.part_edit,
        name="setup-part-edit",
    ),
    path(
        "<slug:slug>/setup/funds/<slug:fund_slug>/projects/<int:pk>/<str:kind>/<int:part_pk>/retire/",
        s.part_retire,
        name="setup-part-retire",
    ),
]
