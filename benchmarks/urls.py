"""The app's URLs plus the floor views, for the benchmark run only."""

from im_assess.urls import urlpatterns as app_patterns

from .floor import urlpatterns as floor_patterns

urlpatterns = [*floor_patterns, *app_patterns]
