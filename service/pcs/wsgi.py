"""WSGI entry point for gunicorn: liveness and readiness in front of Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcs.settings.production")

django_application = get_wsgi_application()

from pcs.health import HealthApp  # noqa: E402  (needs the settings configured above)

application = HealthApp(django_application)
