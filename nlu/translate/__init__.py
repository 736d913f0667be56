"""Hindi and Roman-Hindi to English for what artisans say about their work, and names in Roman letters.

`translate(text)` returns a Translation (English sentences, and the clauses left for staff); `transliterate(name)`
spells a Devanagari name the way its bearer would in English; `gender(name)` reads "f"/"m" from a name's ending
when a table knows it (None otherwise)."""
from .names import gender, transliterate
from .translate import Piece, Translation, translate

__all__ = ["translate", "Translation", "Piece", "transliterate", "gender"]
