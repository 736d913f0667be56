"""The conversation: a small slot-filling engine, the flows as data, and the prompt catalogue."""
from flows import prompts
from flows.engine import hand_back, nudge, step
from flows.fields import validate_field
from flows.onboarding import keep_early_photos
from flows.summary import summary

__all__ = ["step", "hand_back", "nudge", "validate_field", "summary", "prompts", "keep_early_photos"]
