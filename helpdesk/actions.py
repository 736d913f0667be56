"""What staff do to a conversation: claim, reply, note, fix the draft, hand back (reviews: helpdesk/review.py).

Everything that reaches the artisan goes through `bot.handoff.act` (the bot's reply path, under the
conversation's lock); every change is recorded in the audit trail with who and when.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

import flows
from bot import conversation_ops as ops
from bot import conversations as store
from bot import handoff
from bot.twilio_api import window_open
from bot.handoff import act
from bot.jobs import publish_channel
from bot.outbox import MAX_BODY
from bot.services import Services
from db import audit
from db.models import Conversation, Listing, Note, StaffUser
from helpdesk import staff_profile
from marketplace import listings
from marketplace.photos import reencode

TEMPLATE = "helpdesk"  # the approved template's name in HUNAR_TWILIO_TEMPLATES, sent outside the 24-hour window
DRAFT_FIELDS = flows.LISTING.fields()
PROFILE_FIELDS = flows.ONBOARDING.fields()
HAND_BACK_STEPS = (*flows.ONBOARDING.names(), *flows.LISTING.names())


class ActionError(ValueError):
    """The action cannot be done as asked; the message is shown to the staff member."""


def actor(user: StaffUser) -> str:
    return f"staff:{user.id}"


def in_window(conv: Conversation, now: datetime) -> bool:
    """Whether free text may be sent: SMS always, WhatsApp within 24 h of the artisan's last message."""
    return conv.channel != "whatsapp" or window_open(conv.last_inbound_at, now)


def template_ready(settings: dict) -> bool:
    """Whether the approved template for staff is configured (only Twilio needs one; the simulator does not).
    config.load has read HUNAR_TWILIO_TEMPLATES as JSON; a value that was not JSON stays a string and names none."""
    templates = settings.get("TWILIO_TEMPLATES")
    return isinstance(templates, dict) and TEMPLATE in templates


def _holder(session, conv: Conversation) -> str:
    user = session.get(StaffUser, conv.assignee_id) if conv.assignee_id else None
    return user.name if user else "nobody"


def _must_hold(session, conv: Conversation, user: StaffUser) -> None:
    if conv.assignee_id != user.id:
        raise ActionError(f"Take over the conversation first (it is held by {_holder(session, conv)}).")


def _conversation(session, conversation_id: int) -> Conversation:
    conv = session.get(Conversation, conversation_id)
    if conv is None:
        raise ActionError("No such conversation.")
    return conv


def _lang(conv) -> str:
    return conv.language or "hi"


# --- taking over -------------------------------------------------------------------------------


def claim(services: Services, conversation_id: int, user: StaffUser) -> tuple[bool, str]:
    """Take the conversation if nobody holds it: one conditional UPDATE decides, so of two staff clicking at
    once exactly one wins. Returns (won, who holds it now)."""
    with services.db.session() as session:
        won = ops.assign(session, conversation_id, user.id, now=services.clock(), actor=actor(user))
        conv = _conversation(session, conversation_id)
        if not won:
            return conv.assignee_id == user.id, _holder(session, conv)

    def notify(session, conv, artisan, now):
        if in_window(conv, now) and artisan.opted_out_at is None:
            return [flows.Reply(staff_profile.greeting(user, _lang(conv)))]
        return []

    act(services, conversation_id, notify, author="staff", staff_id=user.id)
    return True, user.name


def release(services: Services, conversation_id: int, user: StaffUser) -> None:
    """Let go without handing back: the bot stays silent and the conversation waits for another person."""
    def change(session, conv, artisan, now):
        if conv.assignee_id != user.id and user.role != "admin":
            raise ActionError("Only the person holding it (or an admin) can release it.")
        ops.release(session, conv, now=now, actor=actor(user))
        return []

    act(services, conversation_id, change)


# --- talking -----------------------------------------------------------------------------------


def reply(services: Services, conversation_id: int, user: StaffUser, text: str, photo: tuple[bytes, str] | None = None) -> None:
    """Send the artisan a text (and a photo) from staff, through the Outbox."""
    text = (text or "").strip()
    if not text and photo is None:
        raise ActionError("Write something or attach a photo.")
    if len(text) > MAX_BODY:
        raise ActionError(f"That is too long for one message ({MAX_BODY} characters at most).")
    media = _store_photo(services, photo) if photo else None

    def change(session, conv, artisan, now):
        _must_hold(session, conv, user)
        if not in_window(conv, now):
            raise ActionError("The artisan's last message is more than 24 hours old: WhatsApp would refuse free "
                              "text. Send the approved template instead.")
        audit.record(session, "helpdesk.reply", actor=actor(user), at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, chars=len(text), photo=bool(media))
        if media:
            return [(flows.Reply(text, media=(media["url"],)), "staff", {"media": [media]})]
        return [flows.Reply(text)]

    act(services, conversation_id, change, author="staff", staff_id=user.id)


def send_template(services: Services, conversation_id: int, user: StaffUser) -> None:
    """Outside the 24-hour window: the approved template, which invites the artisan to write back."""
    if not template_ready(services.settings):
        raise ActionError(f'No approved template is configured: add "{TEMPLATE}" to HUNAR_TWILIO_TEMPLATES.')

    def change(session, conv, artisan, now):
        _must_hold(session, conv, user)
        name = artisan.name or artisan.profile_name or ""
        text = flows.prompts.say("staff_template", _lang(conv), name=name)
        audit.record(session, "helpdesk.reply", actor=actor(user), at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, template=TEMPLATE)
        return [(flows.Reply(text), "staff", {"template": {"name": TEMPLATE, "variables": {"1": name}}})]

    act(services, conversation_id, change, author="staff", staff_id=user.id)


def _store_photo(services: Services, photo: tuple[bytes, str]) -> dict:
    """Check that the upload is a picture, re-encode it without metadata, and store it for the outbox."""
    try:
        return reencode.store_for_sending(services.media_store, photo[0],
                                          max_bytes=int(services.settings["MEDIA_MAX_IMAGE_BYTES"]))
    except reencode.NotSendable as exc:
        raise ActionError(str(exc)) from None


def add_note(services: Services, conversation_id: int, user: StaffUser, body: str) -> None:
    body = (body or "").strip()
    if not body:
        raise ActionError("The note is empty.")
    with services.db.session() as session:
        conv = _conversation(session, conversation_id)
        now = services.clock()
        session.add(Note(conversation_id=conv.id, staff_id=user.id, body=body[:4000], created_at=now))
        audit.record(session, "helpdesk.note", actor=actor(user), at=now, artisan_id=conv.artisan_id,
                     conversation_id=conv.id)


# --- fixing the draft and the listing ------------------------------------------------------------


def _validated(field: str, text: str, lang: str, read):
    value = flows.validate_field(field, text, read, lang)
    if isinstance(value, flows.Retry):
        hint = value.reason.replace("_", " ")
        try:
            hint = flows.prompts.say(f"retry_{value.reason}", "en", **value.vars)
        except flows.prompts.MissingPrompt:  # not every reason has an English retry text: its name says enough
            pass
        raise ActionError(f"{field}: not accepted ({hint})")
    return value


def edit_field(services: Services, conversation_id: int, user: StaffUser, field: str, text: str) -> None:
    """Set one draft (or profile) field from text, read by the bot's own parser for that field."""
    if field not in DRAFT_FIELDS + PROFILE_FIELDS:
        raise ActionError(f"{field} cannot be edited here.")

    def change(session, conv, artisan, now):
        _must_hold(session, conv, user)
        value = _validated(field, text, _lang(conv), services.parse)
        if field in PROFILE_FIELDS and conv.flow != "onboarding":
            before = getattr(artisan, field)
            setattr(artisan, field, flows.profile_text(value))
        else:
            state = store.load_state(conv) or flows.State(language=conv.language)
            before = flows.stored(state.slots.get(field))
            flows.set_field(state, field, value)
            store.save_state(conv, state)
        audit.record(session, "helpdesk.edit", actor=actor(user), at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, field=field, before=before, after=flows.stored(value))
        return []

    act(services, conversation_id, change)


def _listing(session, conv, listing_id: int) -> Listing:
    listing = session.scalar(select(Listing).where(Listing.id == listing_id, Listing.artisan_id == conv.artisan_id))
    if listing is None:
        raise ActionError("That listing is not this artisan's.")
    return listing


def edit_listing(services: Services, conversation_id: int, listing_id: int, user: StaffUser, field: str, text: str) -> None:
    """Fix a field of a submitted listing (price, quantity, product, ...), validated like the draft."""
    if field not in DRAFT_FIELDS:
        raise ActionError(f"{field} cannot be edited here.")

    def change(session, conv, artisan, now):
        _must_hold(session, conv, user)
        listing = _listing(session, conv, listing_id)
        value = flows.stored(_validated(field, text, _lang(conv), services.parse))
        listings.change(session, listing, {field: value}, now=now, actor=actor(user))
        audit.record(session, "helpdesk.edit", actor=actor(user), at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, listing_id=listing.id, field=field, after=value)
        return []

    act(services, conversation_id, change)


def retry_channel(services: Services, conversation_id: int, listing_id: int, user: StaffUser, channel: str) -> None:
    """Try a sales channel again for a listing it refused (after its settings or eBay's side were fixed).

    Any staff member may: it says nothing to the artisan, so the conversation need not be taken over."""
    if channel not in services.publishers:
        raise ActionError(f"There is no sales channel called {channel!r}.")
    with services.db.session() as session:
        conv = _conversation(session, conversation_id)
        listing = _listing(session, conv, listing_id)
        if ((listing.channels or {}).get(channel) or {}).get("status") != "error":
            raise ActionError(f"{channel} has not refused this listing: there is nothing to try again.")
        audit.record(session, "helpdesk.channel_retry", actor=actor(user), at=services.clock(),
                     artisan_id=conv.artisan_id, conversation_id=conv.id, listing_id=listing.id, channel=channel)
    services.jobs.enqueue(publish_channel, listing_id, channel)


# --- handing back --------------------------------------------------------------------------------


def hand_back(services: Services, conversation_id: int, user: StaffUser, step: str) -> None:
    """Return the conversation to the bot, which asks the chosen step's question (or says goodbye on "close")."""
    if step not in HAND_BACK_STEPS + ("menu", "close"):
        raise ActionError(f"Unknown step {step!r}.")

    def change(session, conv, artisan, now):
        if conv.assignee_id != user.id and user.role != "admin":
            raise ActionError(f"Take over the conversation first (it is held by {_holder(session, conv)}).")
        replies = None if step == "close" else handoff.resume(services, session, conv, artisan, step, now)
        if replies is None:  # closed, or nothing to resume
            replies = [flows.Reply(flows.prompts.say("staff_closed", _lang(conv)))]
        ops.return_to_bot(session, conv, now=now, actor=actor(user), step=step)
        if not in_window(conv, now) or artisan.opted_out_at is not None:
            return []  # the bot's question would be refused; it asks again when the artisan writes
        return replies

    act(services, conversation_id, change, author="bot")
