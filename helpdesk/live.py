"""Live updates: Server-Sent Events fed by the bot's Redis pub/sub channel (bot.telemetry.LiveEvents) (the page polls without them)."""
from __future__ import annotations

import json
import threading
import time

from flask import Response, current_app

from helpdesk.web import bp, services

STREAM_SECONDS = 25  # each stream ends after this and the browser reconnects (frees server threads)
HEARTBEAT_SECONDS = 3  # also how soon a closed page frees its stream


def stream_slots(settings: dict) -> threading.BoundedSemaphore:
    """An app's places for open streams (kept in `app.extensions["helpdesk"]["live_streams"]`): each holds a server
    thread, so past HELPDESK_LIVE_STREAMS the page polls instead (the webhook needs threads)."""
    return threading.BoundedSemaphore(max(0, int(settings["HELPDESK_LIVE_STREAMS"])) or 1)


@bp.get("/events")
def events():
    """`data: {"kind", "conversation_id", ...}` for every message in or out and every queue change."""
    svc = services()
    slot = current_app.extensions["helpdesk"]["live_streams"]
    if not slot.acquire(blocking=False):
        return Response(status=204)  # EventSource stops on 204; the page falls back to polling
    channel = svc.settings["REDIS_PREFIX"] + "events"
    try:
        pubsub = svc.redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channel)
    except Exception:
        slot.release()
        raise

    def stream():
        try:
            yield "retry: 1500\n\n"
            end = time.monotonic() + STREAM_SECONDS
            beat = time.monotonic() + HEARTBEAT_SECONDS
            while time.monotonic() < end:
                message = pubsub.get_message(timeout=1.0)
                if message and message.get("type") == "message":
                    data = message["data"]
                    data = data.decode() if isinstance(data, bytes) else str(data)
                    try:
                        json.loads(data)
                    except ValueError:
                        continue
                    yield f"data: {data}\n\n"
                elif time.monotonic() > beat:
                    beat = time.monotonic() + HEARTBEAT_SECONDS
                    yield ": ping\n\n"
                else:
                    time.sleep(0.05)  # fakeredis may return at once instead of waiting
        finally:
            slot.release()
            pubsub.close()

    return Response(stream(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
