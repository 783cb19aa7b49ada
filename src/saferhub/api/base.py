"""What every read-only endpoint shares: its rule, and scoping to the provider's organisation.

A resource owned by an organisation declares ``organisation_field`` (the lookup from the model
to the owning organisation's id: ``"provider_id"`` for a project, ``"pk"`` for an organisation):
a provider user's lists hold only its organisation's rows, and another organisation's object
answers 404 (audited), as a missing one does. A resource without an owner is not scoped.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import record_denial, role_of
from saferhub.security.query import MAX_ID, BadQuery


def _is_id(text: str) -> bool:
    """An object id as the database holds it: ASCII digits, 1 to MAX_ID."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    rule: str = ""
    organisation_field: str | None = None

    def handle_exception(self, exc: Exception) -> Any:
        # A bad query parameter (saferhub.security.query) is a 400 naming it, as DRF's own.
        if isinstance(exc, BadQuery):
            exc = ValidationError({exc.name: [exc.message]})
        return super().handle_exception(exc)

    def scope(self, qs: QuerySet) -> QuerySet:
        if self.organisation_field and role_of(self.request.user) == Role.PROVIDER:
            return qs.filter(**{self.organisation_field: self.request.user.organisation_id})
        return qs

    def get_queryset(self) -> QuerySet:
        return self.scope(super().get_queryset())

    def get_object(self) -> Any:
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if self.lookup_field == "pk" and not _is_id(lookup):
            raise Http404("Not found")  # "abc", "1e9", a NUL: no object has that id (not a 500)
        base = self.filter_queryset(super().get_queryset())  # unscoped: to tell "not yours" from "none"
        obj = base.filter(**{self.lookup_field: lookup}).first()
        if obj is None:
            raise Http404("Not found")
        if not self.scope(base).filter(pk=obj.pk).exists():
            record_denial(self.request.user, self.rule, obj, "another organisation's object", request=self.request)
            raise Http404("Not found")
        self.check_object_permissions(self.request, obj)
        return obj
