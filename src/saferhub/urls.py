from django.contrib import admin
from django.urls import include, path

from saferhub.security.views import healthz

handler500 = "saferhub.security.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("saferhub.accounts.urls")),
    path("audit/", include("saferhub.audit.urls")),
    path("commissioning/", include("saferhub.commissioning.urls")),
    path("governance/", include("saferhub.governance.urls")),
    path("public/", include("saferhub.publishing.urls")),
    path("publishing/", include("saferhub.publishing.manage_urls")),
    path("api/", include("saferhub.api.urls")),
    path("setup/", include("saferhub.setup.urls")),
    path("", include("saferhub.performance.urls")),
]
