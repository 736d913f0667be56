"""Hunar's Hindi/Hinglish/English understanding: parse(text) in Rasa's /model/parse shape."""
from .money import say_amount
from .numbers import english_words, hindi_words
from .parse import parse

__all__ = ["parse", "say_amount", "hindi_words", "english_words"]
