"""Fakes an artisan's phone camera: generated photos of a woven product on a plain, noisy background, and bad ones."""
from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

PALETTE = [(200, 40, 40), (240, 190, 40), (30, 60, 140), (20, 120, 70), (245, 240, 230), (60, 20, 20)]


def durrie(w: int, h: int, seed: int = 1) -> Image.Image:
    """A striped, patterned flat-weave with thread texture."""
    r = random.Random(seed)
    im = Image.new("RGB", (w, h), r.choice(PALETTE))
    d = ImageDraw.Draw(im)
    y = 0
    while y < h:
        s = r.randrange(max(2, h // 60), max(3, h // 12))
        d.rectangle([0, y, w, y + s], fill=r.choice(PALETTE))
        y += s
    for _ in range(40):
        cx, cy, s = r.randrange(w), r.randrange(h), r.randrange(max(2, w // 80), max(3, w // 14))
        d.polygon([(cx, cy - s), (cx + s, cy), (cx, cy + s), (cx - s, cy)], fill=r.choice(PALETTE), outline=(10, 10, 10))
    for x in range(0, w, 9):  # warp threads
        d.line([(x, 0), (x, h)], fill=(0, 0, 0))
    texture = Image.effect_noise((w, h), 25).point(lambda v: min(255, v + 110)).convert("RGB")
    return Image.blend(im, ImageChops.multiply(im, texture), 0.5)


def background(w: int, h: int, colour=(214, 200, 178), seed: int = 1) -> Image.Image:
    """A plain cloth or wall: one colour, a lighting gradient, no detail."""
    grad = Image.linear_gradient("L").rotate(90 * random.Random(seed).randrange(4)).resize((w, h))
    shade = grad.point(lambda v: 200 + v * 55 // 255)
    return ImageChops.multiply(Image.new("RGB", (w, h), colour), Image.merge("RGB", [shade] * 3))


def camera(im: Image.Image, noise: float = 6) -> Image.Image:
    """Sensor noise and a touch of lens softness, as any phone photo has."""
    n = Image.effect_noise(im.size, noise)
    return ImageChops.add(im, Image.merge("RGB", [n] * 3), 1.0, -128).filter(ImageFilter.GaussianBlur(0.5))


def scene(w: int = 1600, h: int = 1200, seed: int = 1, frac: float = 0.6) -> Image.Image:
    """A product filling `frac` of each side, centred on a plain background, before the camera."""
    im = background(w, h, seed=seed)
    pw, ph = max(1, int(w * frac)), max(1, int(h * frac))
    im.paste(durrie(pw, ph, seed), ((w - pw) // 2, (h - ph) // 2))
    return im


def product_photo(w: int = 1600, h: int = 1200, seed: int = 1, frac: float = 0.6) -> Image.Image:
    """A sharp photo of the product."""
    return camera(scene(w, h, seed, frac))


def blurred_photo(w: int = 1600, h: int = 1200, radius: float = 6, seed: int = 1) -> Image.Image:
    """Out of focus or shaken: the blur happens in the lens, the noise after it in the sensor."""
    return camera(scene(w, h, seed).filter(ImageFilter.GaussianBlur(radius)))


def dark(im: Image.Image) -> Image.Image:
    return ImageEnhance.Brightness(im).enhance(0.12)


def bright(im: Image.Image) -> Image.Image:
    return ImageEnhance.Brightness(im).enhance(2.8)


def empty_photo(w: int = 1600, h: int = 1200) -> Image.Image:
    return camera(background(w, h))


def screenshot(w: int = 1080, h: int = 2400, seed: int = 3) -> Image.Image:
    """A phone screenshot: status bar, flat app background, text lines, a product picture in a chat bubble."""
    im = Image.new("RGB", (w, h), (236, 229, 221))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w, 70], fill=(7, 94, 84))
    d.rectangle([0, 70, w, 220], fill=(7, 94, 84))
    d.rectangle([0, h - 140, w, h], fill=(240, 240, 240))
    r = random.Random(seed)
    for y in range(300, 1300, 110):
        d.rounded_rectangle([40, y, 40 + r.randrange(300, 900), y + 80], 20, fill=(255, 255, 255))
        for x in range(70, 40 + r.randrange(300, 860), 26):
            d.rectangle([x, y + 30, x + 18, y + 50], fill=(40, 40, 40))
    im.paste(durrie(700, 700, seed).resize((700, 700)), (300, 1400))
    return im


def exif_bytes(orientation: int = 1, gps: bool = True, camera_model: bool = True) -> bytes:
    """EXIF with an orientation, a camera make/model and a GPS position in Panipat."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    if camera_model:
        exif[0x010F], exif[0x0110] = "Xiaomi", "Redmi 9A"
    if gps:
        exif[0x8825] = {1: "N", 2: (29.0, 23.0, 15.5), 3: "E", 4: (76.0, 58.0, 12.25)}
    return exif.tobytes()


def encode(im: Image.Image, fmt: str = "JPEG", **kw) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        kw.setdefault("quality", 90)
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def oversize_photo(seed: int = 1, over: int = 5 * 1024 * 1024) -> bytes:
    """A sharp photo saved so finely that the file is over `over` bytes (a 6.8 MB phone original, say)."""
    rng = random.Random(seed)
    im = Image.frombytes("RGB", (2400, 1800), rng.randbytes(2400 * 1800 * 3))
    data = encode(im, quality=98)
    assert len(data) > over, len(data)
    return data


def png_header_only(w: int, h: int) -> bytes:
    """A tiny PNG that declares w x h pixels (a decompression bomb's calling card)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def animation(fmt: str = "GIF", frames: int = 3, size=(600, 600)) -> bytes:
    ims = [durrie(*size, seed=i) for i in range(frames)]
    if fmt == "GIF":
        ims = [im.convert("P") for im in ims]
    buf = io.BytesIO()
    ims[0].save(buf, fmt, save_all=True, append_images=ims[1:], duration=100, loop=0)
    return buf.getvalue()


def swapped_rgb_profile() -> bytes:
    """An RGB ICC profile that is not sRGB: sRGB with its red and blue colorants swapped, renamed."""
    from PIL import ImageCms

    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", icc[128:132])[0]
    entries = {bytes(icc[132 + 12 * i:136 + 12 * i]): 132 + 12 * i for i in range(count)}
    r, b = entries[b"rXYZ"], entries[b"bXYZ"]
    icc[r + 4:r + 12], icc[b + 4:b + 12] = icc[b + 4:b + 12], icc[r + 4:r + 12]
    return bytes(icc).replace("sRGB".encode("utf-16-be"), "swap".encode("utf-16-be")).replace(b"sRGB", b"swap")


def album_photo(i: int) -> bytes:
    """The i-th (0–7) of eight distinct, good product photos: each passes the check and none is a near-duplicate."""
    im = background(1000, 750, seed=i)
    pw, ph = 420 + 40 * (i % 4), 320 + 30 * (i // 2)
    x, y = [(40, 40), (520, 40), (40, 380), (520, 380), (290, 200), (100, 200), (450, 100), (200, 300)][i]
    im.paste(durrie(pw, ph, seed=i + 1), (min(x, 1000 - pw), min(y, 750 - ph)))
    return encode(camera(im))
