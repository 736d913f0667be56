"""Quality checks on a reduced image: size, exposure, sharpness, framing, screenshots; each yields a reason code."""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

BLOCK = 16  # px of the ~800 px grey image per block when mapping where the detail is
MIN_SHORT_SIDE = 500  # eBay and Meta both need 500 px
TIP_LONG_SIDE = 1000  # eBay recommends at least 1000 px
# (retake, tip) thresholds; tuned on generated photos, to be revisited with real artisans' photos.
DARK = (0.16, 0.26)  # mean luminance below
BRIGHT = (0.35, 0.15)  # share of pixels on the product with a channel clipped at 250+ above
WASHED_OUT = 0.9  # mean luminance above this: the whole frame is blown out
SHARP = (0.01, 0.10)  # sharpness below
PRODUCT_AREA = (0.08, 0.20)  # share of the frame spanned by the detailed part below
EMPTY_STRUCTURE = 0.12  # coarse edges weaker than this: a blank wall or cloth
STRONG_EDGE = (32, 60, 80)  # |Laplacian| of a real edge at ~800 px: 80 x contrast, within 32..60 (noise stays below)
FLAT_SHARE = 0.25  # one exact colour covering this much of a camera photo never happens; UIs do it
SCREEN_ASPECTS = (1.95, 2.4)  # 18:9 .. 21:9 phone screens; cameras shoot 4:3, 3:2, 16:9, 1:1
OLD_SCREEN_ASPECTS = (1.70, 1.80)  # 16:9 screens: only with other evidence, since cameras shoot 16:9 too
_LAPLACE = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)
PRIORITY = ("screenshot", "duplicate", "too_small", "empty", "dark", "bright", "blurry", "product_small")


@dataclass(frozen=True)
class Metrics:
    """Numbers measured once per photo; all fractions are 0..1."""

    brightness: float  # mean luminance
    white_clip: float  # share of pixels with a clipped channel within the product's box (a white backdrop is fine)
    contrast: float  # (p99 - p1) luminance / 255
    sharpness: float  # share of strong-edge pixels in the sharpest blocks (~800 px scale)
    structure: float  # coarse edge strength (~100 px scale): is there anything in the picture at all
    product_area: float  # share of the frame inside the bounding box of detailed blocks
    flat_share: float  # share of the most common exact colour
    flat_is_extreme: bool  # that colour is pure black or white (clipping, or a letterbox)


def measure(main: Image.Image, medium: Image.Image) -> Metrics:
    """Measure an RGB photo: detail on the ~800 px grey copy, exposure and structure on smaller ones."""
    grey = medium.convert("L")
    step = max(1, max(grey.size) // 400)
    small = grey.reduce(step)
    brightness, contrast = _exposure(small.histogram())
    sharpness, box, cols, rows = _detail(grey, contrast)
    area = 0.0 if box is None else (box[2] - box[0]) * (box[3] - box[1]) / (cols * rows)
    white_clip = _white_clip(medium.reduce(step), box, cols, rows)
    flat_share, flat_colour = _dominant_colour(main)
    return Metrics(brightness, white_clip, contrast, sharpness, _structure(small), area, flat_share,
                   flat_colour in ((0, 0, 0), (255, 255, 255)))


def _exposure(hist: list[int]) -> tuple[float, float]:
    """Mean luminance and contrast ((p99 - p1) / 255) from a luminance histogram."""
    brightness = sum(i * c for i, c in enumerate(hist)) / sum(hist) / 255
    return brightness, (_percentile(hist, 0.99) - _percentile(hist, 0.01)) / 255


def _detail(grey: Image.Image, contrast: float) -> tuple[float, tuple | None, int, int]:
    """Sharpness (share of strong-edge pixels in the sharpest 2% of blocks), and the box of the detailed blocks
    in a grid of cols x rows blocks."""
    fine = _abs_laplacian(grey)
    cols, rows = max(1, fine.width // BLOCK), max(1, fine.height // BLOCK)
    # A strong edge is judged relative to the photo's contrast, so a dim photo is not called blurry for it.
    edge = min(STRONG_EDGE[1], max(STRONG_EDGE[0], int(STRONG_EDGE[2] * contrast)))
    strong = _blocks(fine.point(lambda v: 255 if v >= edge else 0), cols, rows)
    top = sorted(strong, reverse=True)[:max(3, len(strong) // 50)]
    box = _detail_box([v >= 26 for v in strong], cols, rows)  # a tenth of the block's pixels on edges
    return sum(top) / len(top) / 255, box, cols, rows


def _structure(small: Image.Image) -> float:
    """Coarse edge strength (~100 px scale): is there anything in the picture at all."""
    coarse = sorted(_abs_laplacian(small.reduce(4) if min(small.size) >= 40 else small).tobytes(), reverse=True)
    count = max(3, len(coarse) // 100)
    return sum(coarse[:count]) / count / 127


def _white_clip(rgb: Image.Image, box: tuple | None, cols: int, rows: int) -> float:
    """Share of pixels with a channel clipped at 250+, within the product's box when there is one: clipping
    matters on the product itself, a white backdrop is fine."""
    if box is not None:
        sx, sy = rgb.width / cols, rgb.height / rows
        rgb = rgb.crop((int(box[0] * sx), int(box[1] * sy), int(box[2] * sx), int(box[3] * sy)))
    r, g, b = rgb.split()
    clip = ImageChops.lighter(ImageChops.lighter(r, g), b).histogram()
    return sum(clip[250:]) / max(1, sum(clip))


def _percentile(hist: list[int], q: float) -> int:
    target, seen = q * sum(hist), 0
    for value, count in enumerate(hist):
        seen += count
        if seen >= target:
            return value
    return 255


def _abs_laplacian(grey: Image.Image) -> Image.Image:
    """|Laplacian| (clipped at 127), without the 1 px border that Pillow's filters copy unfiltered."""
    lap = grey.filter(_LAPLACE).crop((1, 1, grey.width - 1, grey.height - 1))
    return ImageChops.difference(lap, Image.new("L", lap.size, 128))


def _blocks(image: Image.Image, cols: int, rows: int) -> list[int]:
    """Mean value per BLOCK x BLOCK cell, row by row."""
    if min(image.size) < BLOCK:
        return [int(sum(image.tobytes()) / (image.width * image.height))]
    return list(image.crop((0, 0, cols * BLOCK, rows * BLOCK)).reduce(BLOCK).tobytes())


def _detail_box(detail: list[bool], cols: int, rows: int) -> tuple[int, int, int, int] | None:
    """Bounding box (in blocks, end exclusive) of detailed blocks, trimming 2% strays at each side."""
    xs = sorted(i % cols for i, d in enumerate(detail) if d)
    ys = sorted(i // cols for i, d in enumerate(detail) if d)
    if len(xs) < 3:
        return None
    lo, hi = len(xs) // 50, len(xs) - 1 - len(xs) // 50
    return xs[lo], ys[lo], xs[hi] + 1, ys[hi] + 1


def _dominant_colour(main: Image.Image) -> tuple[float, tuple]:
    """Most common exact colour in a nearest-neighbour sample (no averaging, so sensor noise survives)."""
    sample = main.resize((min(main.width, 256), min(main.height, 256)), Image.Resampling.NEAREST)
    colours = sample.getcolors(sample.width * sample.height)
    count, colour = max(colours)
    return count / (sample.width * sample.height), colour


def findings(m: Metrics, *, width: int, height: int, fmt: str, camera_exif: bool,
             duplicate: bool) -> dict[str, str]:
    """Map each problem found to its severity, "retake" or "tip"."""
    found: dict[str, str] = {}
    if _screenshot(m, width, height, fmt, camera_exif):
        found["screenshot"] = "retake"
    if duplicate:
        found["duplicate"] = "retake"
    if _too_small(width, height):
        found["too_small"] = _too_small(width, height)
    _grade_exposure(found, m)
    _grade_focus(found, m)
    return found


def _grade_exposure(found: dict, m: Metrics) -> None:
    """Nothing in the picture (empty), too dark, too bright or washed out."""
    if m.structure < EMPTY_STRUCTURE and m.brightness >= DARK[0]:
        found["empty"] = "retake"
    _grade(found, "dark", -m.brightness, -DARK[0], -DARK[1])
    _grade(found, "bright", max(m.white_clip, 1.0 if m.brightness > WASHED_OUT else 0), BRIGHT[0], BRIGHT[1])


def _grade_focus(found: dict, m: Metrics) -> None:
    """Blurry, then the product too small in the frame; neither can be judged in an empty picture, and without
    sharp detail the framing cannot be seen."""
    if "empty" not in found:
        _grade(found, "blurry", -m.sharpness, -SHARP[0], -SHARP[1])
    if "empty" not in found and "blurry" not in found:
        _grade(found, "product_small", -m.product_area, -PRODUCT_AREA[0], -PRODUCT_AREA[1])


def _too_small(width: int, height: int) -> str | None:
    """Below 500 px on the short side eBay and Meta refuse it; eBay recommends 1000 on the long side."""
    if min(width, height) < MIN_SHORT_SIDE:
        return "retake"
    return "tip" if max(width, height) < TIP_LONG_SIDE else None


def _screenshot(m: Metrics, width: int, height: int, fmt: str, camera_exif: bool) -> bool:
    """A phone-screen shape with one exact colour over much of it (a little clipping is not a UI)."""
    if m.flat_share < FLAT_SHARE or not _screen_shaped(width, height, fmt, camera_exif):
        return False
    return not m.flat_is_extreme or m.flat_share >= 2 * FLAT_SHARE


def _screen_shaped(width: int, height: int, fmt: str, camera_exif: bool) -> bool:
    """18:9 to 21:9; or 16:9 when nothing says a camera took it (cameras shoot 16:9 too)."""
    aspect = max(width, height) / max(1, min(width, height))
    if SCREEN_ASPECTS[0] <= aspect <= SCREEN_ASPECTS[1]:
        return True
    return OLD_SCREEN_ASPECTS[0] <= aspect <= OLD_SCREEN_ASPECTS[1] and fmt != "JPEG" and not camera_exif


def _grade(found: dict, code: str, value: float, retake: float, tip: float) -> None:
    if value > retake:
        found[code] = "retake"
    elif value > tip:
        found[code] = "tip"


def verdict(found: dict[str, str]) -> tuple[str, str | None, tuple[str, ...]]:
    """Verdict, main reason and the other reasons, in PRIORITY order (retakes before tips)."""
    codes = sorted(found, key=lambda c: (found[c] != "retake", PRIORITY.index(c)))
    if not codes:
        return "ok", None, ()
    return ("retake" if found[codes[0]] == "retake" else "tip"), codes[0], tuple(codes[1:])


def score(m: Metrics, found: dict[str, str], *, width: int, height: int) -> float:
    """One number 0..1 to pick the best of several attempts: sharp, well exposed, well framed, big enough."""
    sharp = min(1.0, m.sharpness / SHARP[1])
    exposure = max(0.0, 1 - abs(m.brightness - 0.5) * 1.6) * (1 - m.white_clip)
    framing = min(1.0, m.product_area / PRODUCT_AREA[1])
    size = min(1.0, min(width, height) / 1200)
    s = 0.4 * sharp + 0.25 * exposure + 0.2 * framing + 0.15 * size
    for severity in found.values():
        s *= 0.6 if severity == "retake" else 0.9
    return round(max(0.0, min(1.0, s)), 4)
