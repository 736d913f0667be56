"""The conversation: a small slot-filling engine, the flows as data, and the prompt catalogue."""
from flows.engine import step

__all__ = ["step"]
