"""The read-only JSON API at /api/, with its OpenAPI document at /api/schema/.

Each group of resources is one module with ``register(router)`` (and optionally ``paths()``),
listed in ``MODULES``: its serializers and ``ScopedReadOnlyViewSet`` subclasses (e.g. funds and
projects in ``commissioning.py``, where ``organisation_field = "provider_id"`` scopes a provider
user to its own projects).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import APIRootView, DefaultRouter

from . import commissioning, core, performance, publishing

app_name = "api"
MODULES = (core, performance, publishing, commissioning)


class Root(APIRootView):
    """The list of endpoints."""

    rule = "api.root.view"


# No ".json" suffix routes: the API speaks JSON only, and fewer patterns means less to guard.
router = DefaultRouter()
router.include_format_suffixes = False
router.APIRootView = Root
extra = []
for module in MODULES:
    module.register(router)
    extra += module.paths() if hasattr(module, "paths") else []

urlpatterns = [
    # The OpenAPI 3 document, as JSON; open to all, as it describes the API and holds no data.
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    *extra,
    path("", include(router.urls)),
]
