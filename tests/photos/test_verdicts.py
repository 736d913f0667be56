"""Each kind of photo an artisan might send gets the right verdict, reason and coaching message."""
import io

import pytest
from PIL import Image, ImageEnhance

from fakes import images
from marketplace.photos import coaching_text, message_key, process_photo
from marketplace.photos.coaching import catalogue
from marketplace.photos.decode import heif_available

DERIVATIVES = {"main", "medium", "thumb", "main_webp", "medium_webp", "thumb_webp"}


def alpha_png():
    im = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    im.paste(images.durrie(700, 700), (250, 250))
    return images.encode(im, "PNG")


CASES = {  # name: (bytes maker, verdict, reason)
    "sharp product": (lambda: images.encode(images.product_photo()), "ok", None),
    "blurred": (lambda: images.encode(images.blurred_photo(radius=6)), "retake", "blurry"),
    "slightly soft": (lambda: images.encode(images.blurred_photo(radius=2)), "tip", "blurry"),
    "dark": (lambda: images.encode(images.dark(images.product_photo())), "retake", "dark"),
    "dim": (lambda: images.encode(ImageEnhance.Brightness(images.product_photo()).enhance(0.35)), "tip", "dark"),
    "overexposed": (lambda: images.encode(images.bright(images.product_photo())), "retake", "bright"),
    "tiny": (lambda: images.encode(images.product_photo(400, 300)), "retake", "too_small"),
    "small but usable": (lambda: images.encode(images.product_photo(900, 600)), "tip", "too_small"),
    "product far away": (lambda: images.encode(images.product_photo(frac=0.15)), "retake", "product_small"),
    "product a bit far": (lambda: images.encode(images.product_photo(frac=0.35)), "tip", "product_small"),
    "blank wall": (lambda: images.encode(images.empty_photo()), "retake", "empty"),
    "screenshot png": (lambda: images.encode(images.screenshot(), "PNG"), "retake", "screenshot"),
    "screenshot via whatsapp": (lambda: images.encode(images.screenshot().resize((720, 1600)), quality=75),
                                "retake", "screenshot"),
    "png with alpha": (alpha_png, "ok", None),
    "12 MP camera": (lambda: images.encode(images.product_photo(4000, 3000), quality=92), "ok", None),
    "truncated jpeg": (lambda: images.encode(images.product_photo())[:150_000], "reject", "truncated"),
    "truncated png": (lambda: images.encode(images.product_photo(800, 600), "PNG")[:50_000], "reject", "truncated"),
    "png bomb 50000x50000": (lambda: images.png_header_only(50_000, 50_000), "reject", "bomb"),
    "png over our pixel cap": (lambda: images.png_header_only(8000, 6000), "reject", "bomb"),
    "text named .jpg": (lambda: "यह फोटो नहीं है, just text".encode(), "reject", "not_image"),
    "empty file": (lambda: b"", "reject", "not_image"),
    "gif animation": (lambda: images.animation("GIF"), "reject", "animated"),
    "animated webp": (lambda: images.animation("WEBP"), "reject", "animated"),
    "apng": (lambda: images.animation("PNG"), "reject", "animated"),
    "still gif": (lambda: images.encode(images.durrie(600, 600).convert("P"), "GIF"), "reject", "unsupported"),
    "bmp": (lambda: images.encode(images.product_photo(800, 600), "BMP"), "reject", "unsupported"),
}


@pytest.mark.parametrize("name", CASES)
def test_verdict_reason_and_message(name, store):
    make, verdict, reason = CASES[name]
    result = process_photo(make(), store=store)
    assert (result.verdict, result.reason) == (verdict, reason), result
    key = message_key(result)
    if verdict == "ok":
        assert key is None and coaching_text(result) is None
    else:
        assert key == (f"photo_{reason}_tip" if verdict == "tip" else f"photo_{reason}")
        assert catalogue()[key]["hi"] and catalogue()[key]["en"]
    if verdict == "reject":
        assert result.derivatives == {} and result.width == 0 and result.quality == 0.0
    else:
        assert set(result.derivatives) == DERIVATIVES
        assert len(result.phash) == 16 and 0 < result.quality <= 1


def test_too_large_is_rejected_before_decoding(sharp_jpeg, store):
    result = process_photo(sharp_jpeg, store=store, max_bytes=len(sharp_jpeg) - 1)
    assert (result.verdict, result.reason) == ("reject", "too_large")
    assert process_photo(sharp_jpeg, store=store, max_bytes=len(sharp_jpeg)).verdict == "ok"


def test_pixel_cap_is_configurable(sharp_jpeg, store):
    assert process_photo(sharp_jpeg, store=store, max_pixels=1600 * 1200 - 1).reason == "bomb"


def test_near_duplicate_of_a_draft_photo(sharp_image, store):
    first = process_photo(images.encode(sharp_image), store=store)
    again = images.encode(sharp_image.resize((1400, 1050)), quality=70)
    result = process_photo(again, store=store, existing_hashes=["not-a-hash", first.phash])
    assert (result.verdict, result.reason, message_key(result)) == ("retake", "duplicate", "photo_duplicate")
    assert result.derivatives  # kept aside like any retake


def test_a_different_photo_is_not_a_duplicate(sharp_image, store):
    first = process_photo(images.encode(sharp_image), store=store)
    other = process_photo(images.encode(images.product_photo(seed=7)), store=store, existing_hashes=[first.phash])
    assert other.verdict == "ok"


def test_tips_keep_secondary_reasons(store):
    data = images.encode(ImageEnhance.Brightness(images.product_photo(900, 600, frac=0.35)).enhance(0.35))
    result = process_photo(data, store=store)
    assert result.verdict == "tip"
    assert {result.reason, *result.tips} >= {"dark", "too_small"}


def test_results_are_values_even_for_garbage(store):
    for data in (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"\x00" * 100):
        assert process_photo(data, store=store).verdict == "reject"
    assert process_photo(None, store=store).reason == "not_image"


@pytest.mark.skipif(not heif_available(), reason="pillow-heif not installed")
def test_iphone_heic_is_accepted(store):
    buf = io.BytesIO()
    images.product_photo().save(buf, "HEIF", quality=90)
    result = process_photo(buf.getvalue(), store=store)
    assert result.verdict == "ok", result
    assert store.get(result.derivatives["main"]["key"])[:3] == b"\xff\xd8\xff"


def test_sha256_is_of_the_input(sharp_jpeg, store):
    import hashlib
    assert process_photo(sharp_jpeg, store=store).sha256 == hashlib.sha256(sharp_jpeg).hexdigest()
    assert process_photo(b"junk", store=store).sha256 == hashlib.sha256(b"junk").hexdigest()
