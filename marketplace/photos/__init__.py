"""Product photos: safe decoding, quality coaching, marketplace-ready derivatives in a MediaStore."""
from .coaching import coaching_text, message_key
from .decode import sniff
from .phash import dhash, hamming
from .process import MAX_BYTES, MAX_PIXELS, process_photo
from .result import REASONS, PhotoResult, choose_after_retakes
from .store import LocalMediaStore, MediaStore, MediaStoreError, MemoryMediaStore, S3MediaStore

__all__ = [
    "MAX_BYTES", "MAX_PIXELS", "REASONS", "LocalMediaStore", "MediaStore", "MediaStoreError", "MemoryMediaStore",
    "PhotoResult", "S3MediaStore", "choose_after_retakes", "coaching_text", "dhash", "hamming", "message_key",
    "process_photo", "sniff",
]
