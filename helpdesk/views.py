"""The queue and the conversation page, and the forms that act on a conversation (thin: helpdesk.actions works)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from bot.jobs import sweep_stuck
from db.models import CannedReply, Conversation, StaffUser
from helpdesk import accounts, actions, queue, review, transcript
from helpdesk.web import bp, form_id, now, services

SWEEP_EVERY_SECONDS = 60


def maybe_sweep() -> None:
    """Look for quiet conversations at most once a minute, whoever opens the queue (no scheduler needed)."""
    svc = services()
    if svc.redis.set(svc.settings["REDIS_PREFIX"] + "helpdesk:sweep", 1, nx=True, ex=SWEEP_EVERY_SECONDS):
        svc.jobs.enqueue(sweep_stuck)


def _filters() -> tuple[str, str | None]:
    show = request.args.get("show", "all")
    reason = request.args.get("reason") or None
    return (show if show in queue.FILTERS else "all"), (reason if reason in queue.REASONS else None)


@bp.get("/", endpoint="queue")
def queue_page():
    maybe_sweep()
    show, reason = _filters()
    with services().db.session() as s:
        rows = queue.rows(s, me=g.user.id, show=show, reason=reason)
        total = queue.count(s)
        refused = queue.refused(s, services().publishers)
    return render_template("helpdesk/queue.html", rows=rows, total=total, show=show, reason=reason,
                           reasons=queue.REASONS, refused=refused)


@bp.get("/queue/rows")
def queue_rows():
    """The queue's table body, for live updates."""
    maybe_sweep()
    show, reason = _filters()
    with services().db.session() as s:
        rows = queue.rows(s, me=g.user.id, show=show, reason=reason)
        total = queue.count(s)
    return render_template("helpdesk/_queue_rows.html", rows=rows, total=total)


def _load(s, conversation_id: int):
    conv = s.get(Conversation, conversation_id)
    if conv is None:
        abort(404)
    return conv


@bp.get("/c/<int:conversation_id>")
def conversation(conversation_id: int):
    svc = services()
    with svc.db.session() as s:
        accounts.seed_canned(s, now())
    with svc.db.session() as s:
        conv = _load(s, conversation_id)
        artisan = conv.artisan
        assignee = s.get(StaffUser, conv.assignee_id) if conv.assignee_id else None
        context = dict(
            conv=conv, artisan=artisan, assignee=assignee, mine=conv.assignee_id == g.user.id,
            items=transcript.items(s, conv.id), notes=transcript.notes(s, conv.id),
            listings=transcript.listings(s, artisan.id), trail=transcript.audit_trail(s, conv.id, artisan.id),
            canned=list(s.scalars(select(CannedReply).order_by(CannedReply.title))),
            in_window=actions.in_window(conv, now()), template_ready=actions.template_ready(svc.settings),
            draft_fields=actions.DRAFT_FIELDS, profile_fields=actions.PROFILE_FIELDS, max_body=actions.MAX_BODY,
            steps=actions.HAND_BACK_STEPS, open_reasons=queue.reasons(s, [conv.id])[conv.id],
            show=transcript.show, total=queue.count(s),
        )
        return render_template("helpdesk/conversation.html", **context)


@bp.get("/c/<int:conversation_id>/transcript")
def transcript_part(conversation_id: int):
    """The transcript alone, for live updates."""
    with services().db.session() as s:
        conv = _load(s, conversation_id)
        return render_template("helpdesk/_transcript.html", conv=conv, items=transcript.items(s, conv.id))


def run_action(conversation_id: int, work, done: str | None = None):
    """Run an action; its refusal is shown on the page (409), never swallowed."""
    try:
        result = work()
    except actions.ActionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("helpdesk.conversation", conversation_id=conversation_id), 303)
    except LookupError:  # no such conversation (bot/handoff.act): a stale or made-up link, a 404 not a 500
        abort(404)
    if done:
        flash(done)
    return result or redirect(url_for("helpdesk.conversation", conversation_id=conversation_id), 303)


@bp.post("/c/<int:conversation_id>/claim")
def claim(conversation_id: int):
    try:
        won, holder = actions.claim(services(), conversation_id, g.user)
    except actions.ActionError:  # no such conversation (a stale or made-up link): not our error
        abort(404)
    if not won:
        flash(f"Too late: {holder} has already taken this conversation.", "error")
        return render_conflict(conversation_id)
    flash("You are helping this artisan now; the bot is silent until you hand back.")
    return redirect(url_for("helpdesk.conversation", conversation_id=conversation_id), 303)


def render_conflict(conversation_id: int):
    resp = redirect(url_for("helpdesk.conversation", conversation_id=conversation_id), 303)
    resp.headers["X-Helpdesk-Conflict"] = "claimed"
    return resp


@bp.post("/c/<int:conversation_id>/release")
def release(conversation_id: int):
    return run_action(conversation_id, lambda: actions.release(services(), conversation_id, g.user),
               "Released: it waits in the queue for someone else.")


@bp.post("/c/<int:conversation_id>/reply")
def reply(conversation_id: int):
    text = request.form.get("text", "")
    if not text.strip() and request.form.get("canned"):
        text = _canned_text(form_id("canned"))
    photo = _uploaded_photo()
    return run_action(conversation_id, lambda: actions.reply(services(), conversation_id, g.user, text, photo), "Sent.")


def _canned_text(reply_id: int | None) -> str:
    """The text of the chosen canned reply ("" when it is gone)."""
    with services().db.session() as s:
        canned = s.get(CannedReply, reply_id or 0)
        return canned.body if canned else ""


def _uploaded_photo() -> tuple[bytes, str] | None:
    upload = request.files.get("photo")
    return (upload.read(), upload.mimetype) if upload and upload.filename else None


@bp.post("/c/<int:conversation_id>/template")
def template(conversation_id: int):
    return run_action(conversation_id, lambda: actions.send_template(services(), conversation_id, g.user),
               "Template sent; you can write freely once the artisan answers.")


@bp.post("/c/<int:conversation_id>/note")
def note(conversation_id: int):
    return run_action(conversation_id, lambda: actions.add_note(services(), conversation_id, g.user,
                                                         request.form.get("body", "")), "Note saved.")


@bp.post("/c/<int:conversation_id>/field")
def field(conversation_id: int):
    name = request.form.get("field", "")
    return run_action(conversation_id, lambda: actions.edit_field(services(), conversation_id, g.user, name,
                                                           request.form.get("value", "")), f"{name} saved.")


@bp.post("/c/<int:conversation_id>/listings/<int:listing_id>/field")
def listing_field(conversation_id: int, listing_id: int):
    name = request.form.get("field", "")
    return run_action(conversation_id, lambda: actions.edit_listing(services(), conversation_id, listing_id, g.user, name,
                                                             request.form.get("value", "")), f"{name} saved.")


@bp.post("/c/<int:conversation_id>/listings/<int:listing_id>/review")
def listing_review(conversation_id: int, listing_id: int):
    """Approve or reject, from the queue (back=queue) or the conversation page; nobody need take it over."""
    decision = request.form.get("decision", "")

    def work():
        told = review.review(services(), conversation_id, listing_id, g.user, decision, request.form.get("reason", ""))
        flash(review.outcome(listing_id, decision, told))
        return redirect(url_for("helpdesk.queue"), 303) if request.form.get("back") == "queue" else None

    return run_action(conversation_id, work)


@bp.post("/c/<int:conversation_id>/listings/<int:listing_id>/channels/<channel>/retry")
def channel_retry(conversation_id: int, listing_id: int, channel: str):
    return run_action(conversation_id, lambda: actions.retry_channel(services(), conversation_id, listing_id, g.user,
                                                              channel),
               f"Sending listing {listing_id} to {channel} again: reload in a moment for the result.")


@bp.post("/c/<int:conversation_id>/hand-back")
def hand_back(conversation_id: int):
    step = request.form.get("step", "")

    def work():
        actions.hand_back(services(), conversation_id, g.user, step)
        flash("Closed." if step == "close" else f"Handed back to the bot at {step}.")
        return redirect(url_for("helpdesk.queue"), 303)

    return run_action(conversation_id, work)
