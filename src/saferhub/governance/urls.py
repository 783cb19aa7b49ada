from django.urls import path

from . import paper_views, views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings.ics", views.meetings_ics, name="meetings-ics"),
    path("<slug:slug>/", views.board_page, name="board"),
    path("<slug:slug>/members/add/", views.membership_add, name="membership-add"),
    path("<slug:slug>/meetings/", views.meetings, name="meetings"),
    path("<slug:slug>/meetings/add/", views.meeting_add, name="meeting-add"),
    path("<slug:slug>/meetings.ics", views.board_ics, name="board-ics"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_page, name="meeting"),
    path("<slug:slug>/meetings/<int:pk>/attendance/", views.attendance_save, name="attendance"),
    path("<slug:slug>/meetings/<int:pk>/add-<str:what>/", views.meeting_change, name="meeting-change"),
    path("<slug:slug>/meetings/<int:pk>/packs/", views.pack_build, name="pack-build"),
    path("<slug:slug>/meetings/<int:pk>/packs/retry/", views.pack_retry, name="pack-retry"),
    path("<slug:slug>/meetings/<int:pk>/papers/<str:how>/", paper_views.paper_new, name="paper-new"),
    path("<slug:slug>/papers/<int:pk>/", paper_views.paper_page, name="paper"),
    path("<slug:slug>/papers/<int:pk>/versions/", paper_views.paper_version_add, name="paper-version-add"),
    path("<slug:slug>/papers/<int:pk>/release/", paper_views.paper_release, name="paper-release"),
    path(
        "<slug:slug>/papers/<int:pk>/versions/<int:number>.pdf", paper_views.paper_version_pdf, name="paper-version-pdf"
    ),
    path("<slug:slug>/packs/", views.packs, name="packs"),
    path("<slug:slug>/packs/<int:pk>.pdf", views.pack_download, name="pack-download"),
    path("<slug:slug>/actions/", views.actions, name="actions"),
    path("<slug:slug>/actions/<int:pk>/status/", views.action_status, name="action-status"),
    path("<slug:slug>/priorities/", views.priorities, name="priorities"),
    path("<slug:slug>/priorities/<int:pk>/", views.priority_page, name="priority"),
    path("<slug:slug>/terms/", views.terms, name="terms"),
    path("<slug:slug>/terms/<int:pk>/", views.terms_page, name="terms-version"),
]
