"""Security invariants that must hold however a user is changed (service, admin, shell)."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import User


@receiver(post_save, sender=User)
def end_sessions_of_inactive_user(sender, instance: User, **kwargs) -> None:
    # A deactivated user is logged out everywhere, not only refused at the next login.
    # (Not while a backup is being restored: ``raw`` saves have no sessions to end.)
    if not instance.is_active and not kwargs.get("raw"):
        from .services import sessions_end

        sessions_end(user=instance, now=timezone.now())


@receiver(user_logged_in)
def stamp_session(sender, request, user, **kwargs) -> None:
    # The session's birth and last activity, for the idle and absolute timeouts.
    now = time.time()
    request.session["auth_at"] = now
    request.session["seen_at"] = now
