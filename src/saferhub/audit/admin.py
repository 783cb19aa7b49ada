"""The audit log in the admin: readable, never added to, changed or deleted (ASVS 7.3.3)."""

from django.contrib import admin

from .models import AuditEvent, ReadCount


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_id", "summary", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "summary", "object_id")
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(ReadCount)
class ReadCountAdmin(AuditEventAdmin):
    """Public reads, counted a day at a time: read-only like the log."""

    list_display = ("day", "object_type", "object_id", "what", "count")
    list_filter = ("what", "object_type")
    search_fields = ("object_id",)
    date_hierarchy = "day"
