"""The conversation: a small slot-filling engine, the flows as data, and the prompt catalogue."""
from flows import prompts
from flows.engine import hand_back, nudge, step
from flows.fields import validate_field
from flows.listing import LISTING
from flows.onboarding import ONBOARDING, keep_early_photos
from flows.state import State, set_field
from flows.summary import summary
from flows.types import Bilingual, Reply, Retry, profile_text, stored

__all__ = ["step", "hand_back", "nudge", "validate_field", "summary", "prompts", "keep_early_photos", "State",
           "set_field", "LISTING", "ONBOARDING", "Bilingual", "Reply", "Retry", "profile_text", "stored"]
