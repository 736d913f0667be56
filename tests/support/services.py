"""Which stack the tests run on: real PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set, else embedded."""
from __future__ import annotations

import os

DATABASE_URL = os.environ.get("DATABASE_URL") or os.environ.get("HUNAR_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("HUNAR_REDIS_URL")
SERVICES_MISSING = "needs real PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (.ci/run does)"
# The stack every test runs on by default: the real services when CI provides them, else the embedded one.
DEFAULT_STACK = "services" if DATABASE_URL and REDIS_URL else "embedded"
