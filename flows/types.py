"""The values that cross between the bot (bot/turns.py) and the pure conversation engine (flows/).

The bot builds an `Inbound` from a WhatsApp/SMS/simulator message, calls
`flows.step(state, inbound, parse)` and gets a `Result` back: the new `flows.state.State`, the replies
to send and the effects to apply. Effects are plain data (JSON values); the bot applies them
(database writes, helpdesk flags, publishing) after saving the state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import singledispatch
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from flows.state import State

Reader = Callable[..., dict]  # read(text, expect=None) -> nlu's reading, in Rasa's /model/parse shape


@dataclass(frozen=True)
class Bilingual:
    """A named thing in both languages: a product, material, colour, district or craft ("dari", "durrie").

    `en` is None for a name the artisan gave in their own words, until staff name it in English. Stored as
    {"hi", "en"}; a profile column keeps the Hindi text (`str()` of it), never the pair."""

    hi: str
    en: str | None = None

    def __str__(self) -> str:
        return self.hi or self.en or ""

    def said_in(self, lang: str) -> str:
        """The name in `lang`, else in the other language."""
        return (self.en if lang == "en" else self.hi) or str(self)

    def to_record(self) -> dict[str, str | None]:
        return {"hi": self.hi, "en": self.en}

    @classmethod
    def from_record(cls, value: Any) -> Any:
        """A stored {"hi", "en"} pair as a Bilingual; any other value unchanged."""
        if isinstance(value, dict) and "hi" in value and set(value) <= {"hi", "en"}:
            return cls(value["hi"], value.get("en"))
        return value


@singledispatch
def stored(value: Any) -> Any:
    """A value as JSON stores it: Bilinguals as {"hi", "en"}, inside lists and dicts too."""
    return value


@stored.register
def _(value: Bilingual) -> dict:
    return value.to_record()


@stored.register(list)
@stored.register(tuple)
def _(value) -> list:
    return [stored(item) for item in value]


@stored.register
def _(value: dict) -> dict:
    return {key: stored(item) for key, item in value.items()}


def profile_text(value: Any) -> str | None:
    """What an artisan's profile column keeps of a value: the Hindi name of a Bilingual (or of its stored
    {"hi", "en"} form), a name as given; never the repr of a dict."""
    if isinstance(value, dict):
        value = value.get("hi") or value.get("en")
    return None if value is None else str(value)


def nothing_understood(text: str, expect: str | None = None) -> dict:
    """The reading of a message when no NLU is given: no intent, no entities."""
    return {"text": text, "intent": {"name": None, "confidence": 0.0}, "entities": []}


@dataclass(frozen=True)
class Photo:
    """A photo the artisan sent, after marketplace/photos checked it."""

    id: int
    verdict: str  # "ok" | "tip" | "retake" | "reject"
    reason: str | None = None  # coaching code, e.g. "blurry"; the prompt key is f"photo_{reason}"
    quality: float = 1.0


@dataclass(frozen=True)
class ListingRef:
    """One of the artisan's listings, as "my listings" (meri listing) shows it (numbered from 1)."""

    number: int
    id: int
    product: str
    status: str  # submitted | review | published | sold_out | withdrawn | rejected
    price: float | None = None
    per: str = "piece"
    quantity: int | None = None


@dataclass(frozen=True)
class Inbound:
    """What the artisan sent, as the engine sees it; time comes in, it is never read."""

    now: datetime
    text: str = ""
    channel: str = "whatsapp"  # "whatsapp" | "sms"
    photos: tuple[Photo, ...] = ()
    media_kinds: tuple[str, ...] = ()  # other media: "audio", "video", "document", ...
    media_ids: tuple[int, ...] = ()  # stored ids of that other media (a voice note for the helpdesk)
    button: str | None = None  # a quick-reply payload id, when a button was tapped
    location: tuple[float, float] | None = None
    profile_name: str | None = None
    listings: tuple[ListingRef, ...] = ()
    upload_url: str | None = None  # SMS only: a one-time link to a photo upload page
    failed_media: int = 0  # media the bot could not download
    refused_media: int = 0  # files of a kind never kept (a web page, a script, a video): not stored
    read: Reader = field(default=nothing_understood, compare=False)  # the NLU, for a fragment read again
    desk_hours: tuple[int, int] | None = None  # the hours (from, to) staff answer, when configured


@dataclass(frozen=True)
class Button:
    """A WhatsApp quick-reply button (at most 3 per reply, title up to 20 characters)."""

    id: str
    title: str


@dataclass(frozen=True)
class Reply:
    """One message the bot sends."""

    text: str
    buttons: tuple[Button, ...] = ()
    media: tuple[str, ...] = ()


# --- effects: what the bot must do after saving the state -------------------------------


@dataclass(frozen=True)
class SaveProfile:
    """Store what onboarding learned about the artisan (only the fields given; each as `profile_text` has it)."""

    fields: dict[str, Any]


@dataclass(frozen=True)
class RecordConsent:
    """The artisan agreed to store their details and photos; `version` names the consent text."""

    version: str
    text_key: str


@dataclass(frozen=True)
class SubmitListing:
    """Create a listing from the draft slots, as stored (JSON), and its photos (review or publish is the
    marketplace's call)."""

    slots: dict[str, Any]
    photo_ids: tuple[int, ...]


@dataclass(frozen=True)
class UpdateListing:
    """Change one of the artisan's listings: price/quantity/status ("sold_out", "withdrawn")."""

    listing_id: int
    changes: dict[str, Any]


@dataclass(frozen=True)
class FlagHelpdesk:
    """Ask staff to look at this conversation, with a reason code and a short detail."""

    reason: str  # "misses" | "asked_human" | "voice_note" | "photo_rejected" | "media_failed" | ...
    detail: str = ""


@dataclass(frozen=True)
class CloseFlags:
    """What the artisan asked staff for is no longer wanted: close the open flags with these reasons."""

    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SetOptOut:
    """Stop (True) or resume (False) all messages to this artisan."""

    opted_out: bool


@dataclass(frozen=True)
class DeleteMyData:
    """The artisan confirmed: delete their personal data and photos, withdraw their listings."""


@dataclass(frozen=True)
class RefuseConsent:
    """A first contact said no to the consent question: forget everything they sent; keep only that they refused."""

    version: str


@dataclass(frozen=True)
class DiscardPhotos:
    """Photos the artisan removed from the draft (retaken, or the draft was cancelled)."""

    photo_ids: tuple[int, ...]


Effect = (
    SaveProfile | RecordConsent | SubmitListing | UpdateListing | FlagHelpdesk | CloseFlags | SetOptOut | DeleteMyData
    | RefuseConsent | DiscardPhotos
)


@dataclass
class Result:
    """What `step()` returns; `missed` names the step whose answer could not be used this turn."""

    state: State
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    missed: str | None = None


# --- added by the engine: what a parser returns for an answer it cannot use ----------------------


@dataclass(frozen=True)
class Retry:
    """A bad answer, as a value: re-ask with prompt `retry_<reason>` (and `vars` filled in)."""

    reason: str
    vars: dict[str, Any] = field(default_factory=dict)
