"""Drivers and helpers tests import by name. Fixtures stay in conftest.py files; stand-ins for outside services
are in fakes/."""
