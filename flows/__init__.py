"""The conversation: a small slot-filling engine, the flows as data, and the prompt catalogue."""
