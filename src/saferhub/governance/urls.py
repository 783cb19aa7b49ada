from django.urls import path

from . import paper_views, views
from . import setup_views as s

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
    # Setting up the board (the task list's "board and meetings").
    path("<slug:slug>/setup/", s.setup_board, name="setup-board"),
    path("<slug:slug>/setup/board/", s.board_edit, name="setup-board-edit"),
    path("<slug:slug>/setup/terms/add/", s.terms_add, name="setup-terms-add"),
    path("<slug:slug>/setup/terms/<int:pk>/", s.terms_edit, name="setup-terms-edit"),
    path("<slug:slug>/setup/terms/<int:pk>/adopt/", s.terms_adopt, name="setup-terms-adopt"),
    path("<slug:slug>/setup/terms/<int:pk>/retire/", s.terms_retire, name="setup-terms-retire"),
    path("<slug:slug>/setup/members/add/", s.member_add, name="setup-member-add"),
    path("<slug:slug>/setup/members/<int:pk>/", s.member_edit, name="setup-member-edit"),
    path("<slug:slug>/setup/members/<int:pk>/end/", s.member_end, name="setup-member-end"),
    path("<slug:slug>/setup/invitees/add/", s.invitee_add, name="setup-invitee-add"),
    path("<slug:slug>/setup/invitees/<int:pk>/", s.invitee_edit, name="setup-invitee-edit"),
    path("<slug:slug>/setup/invitees/<int:pk>/retire/", s.invitee_retire, name="setup-invitee-retire"),
    path("<slug:slug>/setup/meetings/add/", s.meeting_add, name="setup-meeting-add"),
    path("<slug:slug>/setup/meetings/<int:pk>/", s.meeting_setup, name="setup-meeting"),
    path("<slug:slug>/setup/meetings/<int:pk>/edit/", s.meeting_edit, name="setup-meeting-edit"),
    path("<slug:slug>/setup/meetings/<int:pk>/retire/", s.meeting_retire, name="setup-meeting-retire"),
    path("<slug:slug>/setup/meetings/<int:pk>/items/add/", s.item_add, name="setup-item-add"),
    path("<slug:slug>/setup/meetings/<int:pk>/items/<int:item_pk>/", s.item_edit, name="setup-item-edit"),
    path("<slug:slug>/setup/meetings/<int:pk>/items/<int:item_pk>/retire/", s.item_retire, name="setup-item-retire"),
    path("<slug:slug>/setup/meetings/<int:pk>/items/<int:item_pk>/move/", s.item_move, name="setup-item-move"),
]
