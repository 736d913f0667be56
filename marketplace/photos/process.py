"""The one entry point: bytes in, checked and stored derivatives plus a verdict out."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from . import derive, phash, quality
from .decode import DecodeError, decode
from .result import PhotoResult
from .store import MediaStore

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


def process_photo(data: bytes, *, store: MediaStore, existing_hashes: Sequence[str] = (),
                  max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> PhotoResult:
    """Decode safely, check quality, store derivatives; bad input comes back as a verdict, never an exception.

    Only derivatives are stored, never the original, so nothing the phone wrote into the file (GPS, camera
    serials, thumbnails) survives. Storage failures raise MediaStoreError: that is the server's problem, and
    the job should retry.
    """
    digest = _sha256(data)
    try:
        decoded = decode(bytes(data), max_bytes=max_bytes, max_pixels=max_pixels, target=derive.SIZES["main"])
    except DecodeError as e:
        return PhotoResult("reject", e.reason, sha256=digest)
    except TypeError:
        return PhotoResult("reject", "not_image", sha256=digest)
    # Derivatives are made whatever the verdict (a retake may be kept later), so encoding runs on two
    # worker threads while this one does the checks. The main WebP, the longest job, starts as soon as the
    # image is decoded; the smaller sizes are made meanwhile. A pool per call: nothing is shared across forks.
    decoded.image.info = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = derive.start({"main": decoded.image}, store, pool, jobs=derive.JOBS[:1])
        images = derive.sizes(decoded.image)
        futures += derive.start(images, store, pool, jobs=derive.JOBS[1:])
        try:
            metrics = quality.measure(images["main"], images["medium"])
            hash_ = phash.dhash(images["medium"])
        finally:
            derivatives = derive.collect(futures)
    found = quality.findings(metrics, width=decoded.width, height=decoded.height, fmt=decoded.format,
                             camera_exif=decoded.camera_exif, duplicate=_duplicate(hash_, existing_hashes))
    verdict, reason, tips = quality.verdict(found)
    score = quality.score(metrics, found, width=decoded.width, height=decoded.height)
    return PhotoResult(verdict, reason, tips, decoded.width, decoded.height, hash_, digest, score, derivatives)


def _sha256(data) -> str:
    return hashlib.sha256(data).hexdigest() if isinstance(data, (bytes, bytearray, memoryview)) else ""


def _duplicate(hash_: str, existing_hashes: Sequence[str]) -> bool:
    """Near enough to a photo the artisan sent before to be the same picture again."""
    distance = phash.nearest(hash_, existing_hashes)
    return distance is not None and distance <= phash.DUPLICATE_DISTANCE
