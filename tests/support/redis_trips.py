"""Counting Redis round trips: every command sent alone, and every pipeline, as the client sends them."""
from __future__ import annotations

import redis


def record_round_trips(monkeypatch) -> list:
    """From now on (for the test), each round trip is appended: a lone command by name, a pipeline as the list
    of its commands' names. Works for redis-py and fakeredis clients alike."""
    trips: list = []
    command, execute = redis.Redis.execute_command, redis.client.Pipeline.execute

    def one_command(self, *args, **options):
        trips.append(args[0])
        return command(self, *args, **options)

    def one_pipeline(self, *args, **options):
        trips.append([c[0][0] for c in self.command_stack])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", one_command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", one_pipeline)
    return trips
