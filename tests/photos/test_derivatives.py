"""What is stored: no metadata, the right way up, the right sizes, content-addressed names."""
import hashlib
import io
import re

from PIL import Image, ImageCms, ImageDraw

from fakes import images
from marketplace.photos import process_photo
from marketplace.photos.decode import decode

NAME = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})_(1600|800|320)\.(jpg|webp)$")


def open_stored(store, info):
    return Image.open(io.BytesIO(store.get(info["key"])))


def upright_with_marker():
    """A portrait photo whose top-left corner is pure red, to check which way up it is stored."""
    im = images.product_photo(1200, 1600)
    ImageDraw.Draw(im).rectangle([0, 0, 240, 240], fill=(255, 0, 0))
    return im


def test_exif_rotated_photo_with_gps_is_stored_upright_and_clean(store):
    upright = upright_with_marker()
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # as the sensor wrote it; EXIF 6 says turn it back
    data = images.encode(sideways, exif=images.exif_bytes(orientation=6, gps=True))
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input really carries GPS

    result = process_photo(data, store=store)
    assert result.verdict == "ok", result
    assert (result.width, result.height) == (1200, 1600)
    for name, info in result.derivatives.items():
        stored = open_stored(store, info)
        assert stored.width < stored.height, name
        assert (stored.width, stored.height) == (info["width"], info["height"])
        assert not stored.getexif(), name
        assert not stored.getexif().get_ifd(0x8825), name
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(stored.info), name
        r, g, b = stored.convert("RGB").getpixel((stored.width // 20, stored.height // 30))
        assert r > 200 and g < 60 and b < 60, (name, (r, g, b))  # the red corner is still top-left
    assert b"Xiaomi" not in store.get(result.derivatives["main"]["key"])


def test_every_orientation_is_undone(store):
    upright = upright_with_marker()
    # orientation -> how a camera would have stored the upright picture
    stored_as = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
                 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
                 8: Image.Transpose.ROTATE_270}
    for orientation, method in stored_as.items():
        data = images.encode(upright.resize((600, 800)).transpose(method), exif=images.exif_bytes(orientation))
        decoded = decode(data, max_bytes=10 << 20, max_pixels=40_000_000)
        assert decoded.image.size == (600, 800), orientation
        r, g, b = decoded.image.getpixel((20, 20))
        assert r > 200 and g < 60, orientation


def _jpeg_quality(image) -> int:
    """Estimate the JPEG quality from the first quantisation table (libjpeg's standard scaling)."""
    base = [16, 11, 10, 16, 24, 40, 51, 61]
    table = image.quantization[0][:8]
    scale = sum(t * 100 / b for t, b in zip(table, base)) / len(base)
    return round(100 - scale / 2) if scale <= 100 else round(5000 / scale)


def test_sizes_and_formats(sharp_jpeg, store):
    result = process_photo(images.encode(images.product_photo(4000, 3000)), store=store)
    dims = {name: (d["width"], d["height"]) for name, d in result.derivatives.items()}
    assert dims == {"main": (1600, 1200), "main_webp": (1600, 1200), "medium": (800, 600),
                    "medium_webp": (800, 600), "thumb": (320, 240), "thumb_webp": (320, 240)}
    for name, info in result.derivatives.items():
        stored = open_stored(store, info)
        assert stored.format == ("WEBP" if name.endswith("_webp") else "JPEG")
        assert info["content_type"] == f"image/{stored.format.lower()}"
        assert stored.mode == "RGB"
    main = open_stored(store, result.derivatives["main"])
    assert not (main.info.get("progressive") or main.info.get("progression")), "baseline JPEG: faster to make"
    assert 80 <= _jpeg_quality(main) <= 90


def test_names_are_content_addresses(sharp_jpeg, store):
    result = process_photo(sharp_jpeg, store=store)
    for name, info in result.derivatives.items():
        m = NAME.match(info["key"])
        assert m, info["key"]
        digest = hashlib.sha256(store.get(info["key"])).hexdigest()
        assert (m[1], m[2], m[3]) == (digest[:2], digest[2:4], digest)
        assert info["url"] == "https://hunar.example/media/" + info["key"]
    again = process_photo(sharp_jpeg, store=store)
    assert again.derivatives == result.derivatives  # same photo, same files: nothing stored twice


def test_never_upscaled(store):
    result = process_photo(images.encode(images.product_photo(700, 520)), store=store)
    assert (result.derivatives["main"]["width"], result.derivatives["main"]["height"]) == (700, 520)
    assert (result.derivatives["medium"]["width"], result.derivatives["medium"]["height"]) == (700, 520)
    assert result.derivatives["thumb"]["width"] == 320


def test_transparency_becomes_white(store):
    im = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    im.paste(images.durrie(700, 700), (250, 250))
    result = process_photo(images.encode(im, "PNG"), store=store)
    main = open_stored(store, result.derivatives["main"]).convert("RGB")
    assert main.getpixel((10, 10)) >= (250, 250, 250)


def test_colour_profile_is_not_passed_on(store):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = images.encode(images.product_photo(), icc_profile=srgb)
    result = process_photo(data, store=store)
    for info in result.derivatives.values():
        assert "icc_profile" not in open_stored(store, info).info


def test_other_colour_profiles_are_converted_to_srgb(store):
    # A profile with red and blue swapped stands in for Display P3 or Adobe RGB: pixels must be converted.
    red = Image.new("RGB", (800, 600), (220, 20, 20))
    result = process_photo(images.encode(red, quality=95, icc_profile=images.swapped_rgb_profile()), store=store)
    main = open_stored(store, result.derivatives["main"])
    r, g, b = main.convert("RGB").getpixel((400, 300))
    assert b > 180 and r < 60, (r, g, b)  # what the profile meant, in sRGB
    assert "icc_profile" not in main.info


def test_twelve_megapixel_jpeg_is_drafted(store):
    data = images.encode(images.product_photo(4000, 3000))
    decoded = decode(data, max_bytes=10 << 20, max_pixels=40_000_000)
    assert decoded.image.size == (1600, 1200) and (decoded.width, decoded.height) == (4000, 3000)
    im = Image.open(io.BytesIO(data))
    im.draft("RGB", (1600, 1200))
    assert im.size == (2000, 1500)  # libjpeg decodes at half scale: four times less work
