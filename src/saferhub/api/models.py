"""API tokens' scopes. The token itself is Django REST framework's (``authtoken.Token``: one per
user, issued by ``saferhub token``); its scopes are kept beside it, one row per token.

``read`` lets a token read what its user's role may read, except sensitive, unsuppressed
figures; ``read:sensitive`` adds those, and only an administrator grants it explicitly
(``saferhub token create --user NAME --scope read:sensitive``). Every read of sensitive figures
is an audited export. A token without a row (issued before scopes) has the default, ``read``.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from saferhub.domain.problems import SaferhubError


class ScopeError(SaferhubError, ValueError):
    """A scope no token can be granted."""


class Scope(models.TextChoices):
    READ = "read", "read what the user's role may read, except sensitive figures"
    READ_SENSITIVE = "read:sensitive", "also read sensitive, unsuppressed figures (each read an audited export)"


DEFAULT_SCOPES = frozenset({Scope.READ.value})


class TokenScopes(models.Model):
    token = models.OneToOneField(
        "authtoken.Token", primary_key=True, on_delete=models.CASCADE, related_name="scope_grant"
    )
    # Space-separated, as OAuth 2 writes scopes.
    scopes = models.CharField(max_length=200, default=Scope.READ.value)

    class Meta:
        verbose_name = "API token scopes"
        verbose_name_plural = "API token scopes"

    def as_set(self) -> set[str]:
        return set(self.scopes.split()) & set(Scope.values) or set(DEFAULT_SCOPES)


def token_scopes(token: Any) -> set[str]:
    """The scopes of a token: its grant, else the non-sensitive default."""
    grant = TokenScopes.objects.filter(token_id=token.pk).first()
    return grant.as_set() if grant is not None else set(DEFAULT_SCOPES)


def token_scopes_set(token: Any, scopes: set[str]) -> None:
    unknown = scopes - set(Scope.values)
    if unknown:
        raise ScopeError(f"unknown scopes: {', '.join(sorted(unknown))}")
    value = " ".join(s for s in Scope.values if s in scopes | DEFAULT_SCOPES)
    TokenScopes.objects.update_or_create(token_id=token.pk, defaults={"scopes": value})
