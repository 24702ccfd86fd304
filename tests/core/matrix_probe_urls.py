"""The real URL patterns plus two deliberately unprotected views (for the matrix's own test)."""

from django.urls import path

from tests.core.test_url_matrix import lying_view, open_view
from videocall.config.urls import handler403, handler404, handler500
from videocall.config.urls import urlpatterns as real_patterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [
    *real_patterns,
    path("matrix-probe/open/", open_view, name="matrix_probe_open"),
    path("matrix-probe/declared/", lying_view, name="matrix_probe_declared"),
]
