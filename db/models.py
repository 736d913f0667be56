"""The durable record: artisans, conversations, messages, photos, listings, staff, audit events."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the models use for defaults."""
    return datetime.now(timezone.utc)


# SQLite keeps integer primary keys as ROWID only for INTEGER; BigInteger elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")
# JSONB on PostgreSQL (indexable, compact); plain JSON text elsewhere. Assign new values, never mutate in place.
Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base with timezone-aware datetimes everywhere."""

    type_annotation_map = {datetime: DateTime(timezone=True)}


class Artisan(Base):
    """A maker who sells through Hunar; one row per person across WhatsApp, SMS and the simulator."""

    __tablename__ = "artisans"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # The address we reply to: "whatsapp:+9198…", "whatsapp:IN.abc…" (a BSUID), "+9198…" (SMS).
    address: Mapped[str] = mapped_column(String(160), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164 when known
    wa_id: Mapped[str | None] = mapped_column(String(40))
    bsuid: Mapped[str | None] = mapped_column(String(160), unique=True)
    profile_name: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(80))
    craft: Mapped[str | None] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(8), default="hi")
    consent_version: Mapped[str | None] = mapped_column(String(40))
    consent_at: Mapped[datetime | None]
    opted_out_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped["Conversation | None"] = relationship(back_populates="artisan", uselist=False)


class Conversation(Base):
    """The artisan's one running conversation with the bot (or with staff, in human mode)."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    artisan_id: Mapped[int] = mapped_column(ForeignKey("artisans.id", ondelete="CASCADE"), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default="whatsapp")  # "whatsapp" | "sms": how we answer
    via: Mapped[str] = mapped_column(String(16), default="twilio")  # "twilio" | "simulator": which outbox
    flow: Mapped[str | None] = mapped_column(String(40))
    step: Mapped[str | None] = mapped_column(String(40))
    slots: Mapped[dict] = mapped_column(Json, default=dict)
    context: Mapped[dict] = mapped_column(Json, default=dict)  # the rest of the engine's state
    mode: Mapped[str] = mapped_column(String(8), default="bot")  # "bot" | "human"
    language: Mapped[str] = mapped_column(String(8), default="hi")
    last_inbound_at: Mapped[datetime | None]
    last_outbound_at: Mapped[datetime | None]
    flagged_at: Mapped[datetime | None]
    flag_reason: Mapped[str | None] = mapped_column(String(40))
    flag_detail: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    artisan: Mapped[Artisan] = relationship(back_populates="conversation")

    __table_args__ = (Index("ix_conversations_flagged", "flagged_at"),)


class Message(Base):
    """One message in or out, the durable transcript; `twilio_sid` makes inbound handling exactly-once."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(4))  # "in" | "out"
    channel: Mapped[str] = mapped_column(String(16))  # "whatsapp" | "sms" | "simulator"
    author: Mapped[str] = mapped_column(String(16), default="artisan")  # artisan | bot | staff
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    media: Mapped[list] = mapped_column(Json, default=list)  # [{"content_type", "url"|"key", "photo_id"?}]
    extra: Mapped[dict] = mapped_column(Json, default=dict)  # buttons, location, profile name, ...
    twilio_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    idempotency_token: Mapped[str | None] = mapped_column(String(128), unique=True)
    # inbound: received → processed | skipped; outbound: pending → queued → sent → delivered → read | failed ...
    status: Mapped[str] = mapped_column(String(16), default="received")
    error_code: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "id"),)


class Photo(Base):
    """A product photo: where its derivatives are stored and what the quality check said."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    artisan_id: Mapped[int] = mapped_column(ForeignKey("artisans.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
    verdict: Mapped[str] = mapped_column(String(12), default="ok")
    reason: Mapped[str | None] = mapped_column(String(40))
    quality: Mapped[float] = mapped_column(Float, default=1.0)
    phash: Mapped[str | None] = mapped_column(String(32))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    files: Mapped[dict] = mapped_column(Json, default=dict)  # derivative name -> {"key", "width", "height", ...}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("message_id", "sha256", name="uq_photos_message_sha"),
                      Index("ix_photos_listing", "listing_id", "position"))


class Listing(Base):
    """A product for sale, built from a finished draft; its lifecycle status moves forward by events."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    artisan_id: Mapped[int] = mapped_column(ForeignKey("artisans.id", ondelete="CASCADE"))
    # draft → submitted → review → published → sold_out | withdrawn; rejected by staff with a reason
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    sku: Mapped[str | None] = mapped_column(String(50), unique=True)
    fields: Mapped[dict] = mapped_column(Json, default=dict)  # product, material, colours, size, ...
    price_amount: Mapped[float | None] = mapped_column(Float)
    price_per: Mapped[str] = mapped_column(String(16), default="piece")
    quantity: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[dict] = mapped_column(Json, default=dict)  # {"hi", "en"}
    description: Mapped[dict] = mapped_column(Json, default=dict)  # {"hi", "en"}
    channels: Mapped[dict] = mapped_column(Json, default=dict)  # per channel: ids, state, last error
    reject_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_listings_status", "status"), Index("ix_listings_artisan", "artisan_id"),
                      Index("ix_listings_public_order", "status", "published_at", "id"))


class Flag(Base):
    """One reason a conversation waits for staff; several may be open at once, each closed when dealt with.

    Written only through bot/conversation_ops.py `flag`, which also keeps the conversation's summary columns
    (`flagged_at`: the oldest open flag's time; `flag_reason`, `flag_detail`: the newest's)."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))  # a helpdesk/queue.py REASONS code
    detail: Mapped[str | None] = mapped_column(Text)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime]  # when the artisan began to wait (a review: when the listing was submitted)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(40))  # an audit actor: staff:<id> | bot | system

    __table_args__ = (Index("ix_flags_conversation", "conversation_id", "closed_at"),
                      Index("ix_flags_open", "closed_at", "opened_at"))


class UploadLink(Base):
    """A one-time link to a mobile page where an SMS artisan can add photos to their draft."""

    __tablename__ = "upload_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_upload_links_expires", "expires_at"),)


class StaffUser(Base):
    """A helpdesk account: an agent or an admin."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(8), default="agent")  # agent | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    display_name: Mapped[str | None] = mapped_column(String(80))  # what artisans hear: "मैं सीमा, हुनर टीम से"
    gender: Mapped[str | None] = mapped_column(String(8))  # "f" | "m" for the verb's form; None: neutral phrasing
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """The audit trail: who did what to which conversation or listing, and when."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(40), default="bot")  # bot | artisan | staff:<id> | system
    artisan_id: Mapped[int | None] = mapped_column(ForeignKey("artisans.id", ondelete="SET NULL"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(Json, default=dict)

    __table_args__ = (Index("ix_events_conversation", "conversation_id", "at"), Index("ix_events_kind", "kind", "at"))


class ConsentRefusal(Base):
    """A first contact that refused consent: all they sent is erased; this proves the refusal was honoured.

    The number is kept only as an HMAC with the app's secret key: it can confirm "this number refused on that
    day" when the person asks, and cannot be turned back into the number."""

    __tablename__ = "consent_refusals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number_hmac: Mapped[str] = mapped_column(String(64))
    consent_version: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_consent_refusals_number", "number_hmac"),)


class Note(Base):
    """A private note staff keep on a conversation; the artisan never sees it."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_notes_conversation", "conversation_id", "id"),)


class CannedReply(Base):
    """A ready-made staff reply (in Hindi), managed by admins."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(80), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
