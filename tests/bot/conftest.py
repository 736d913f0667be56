"""A Redis client for tests of Redis-side logic: fakeredis (with Lua, as embedded runs use it) and the real one."""
from __future__ import annotations

import fakeredis
import pytest
import redis

from tests.support.services import REDIS_URL


@pytest.fixture(params=["fakeredis", "redis"])
def any_redis(request):
    if request.param == "fakeredis":
        yield fakeredis.FakeRedis()
        return
    if not REDIS_URL:
        pytest.skip("needs a real Redis: set REDIS_URL (.ci/run does)")
    real = redis.Redis.from_url(REDIS_URL)
    yield real
    real.close()
