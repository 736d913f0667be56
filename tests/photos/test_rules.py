"""Perceptual hash, the retake rule and the coaching catalogue."""
import pytest
from PIL import Image, ImageFilter

from fakes import images
from marketplace.photos import REASONS, PhotoResult, choose_after_retakes, dhash, hamming, message_key
from marketplace.photos.coaching import KEPT_BEST, catalogue


def test_dhash_is_stable_under_resize_and_reencode():
    im = images.product_photo(800, 600)
    h = dhash(im)
    assert len(h) == 16 and int(h, 16) >= 0
    assert hamming(h, dhash(im.resize((640, 480)))) <= 4
    assert hamming(h, dhash(im.filter(ImageFilter.GaussianBlur(1)))) <= 4
    assert hamming(h, dhash(images.product_photo(800, 600, seed=9))) > 10
    assert hamming(h, dhash(im.transpose(Image.Transpose.FLIP_LEFT_RIGHT))) > 10


def result(verdict, reason=None, quality=0.5, derivatives=True):
    return PhotoResult(verdict, reason, quality=quality, derivatives={"main": {}} if derivatives else {})


def test_after_two_bad_retakes_the_best_is_kept_and_flagged():
    attempts = [result("retake", "blurry", 0.3), result("retake", "dark", 0.45), result("retake", "blurry", 0.2)]
    best, flag = choose_after_retakes(attempts)
    assert best is attempts[1] and flag is True


def test_a_good_attempt_wins_without_a_flag():
    attempts = [result("retake", "blurry", 0.3), result("tip", "dark", 0.7), result("reject", "truncated", 0.0, False)]
    assert choose_after_retakes(attempts) == (attempts[1], False)


def test_duplicates_lose_to_new_photos_and_nothing_usable_is_flagged():
    attempts = [result("retake", "duplicate", 0.9), result("retake", "blurry", 0.2)]
    assert choose_after_retakes(attempts)[0] is attempts[1]
    assert choose_after_retakes([result("reject", "not_image", 0, False)]) == (None, True)
    assert choose_after_retakes([]) == (None, True)


@pytest.mark.parametrize("reason", REASONS)
def test_every_reason_has_short_hindi_and_english_text(reason):
    for key in {message_key(PhotoResult("reject" if reason in REASONS[8:] else "retake", reason))}:
        texts = catalogue()[key]
        assert set(texts) == {"hi", "en"}
        assert any("\u0900" <= ch <= "\u097f" for ch in texts["hi"])  # Devanagari
        assert len(texts["hi"]) < 160 and len(texts["en"]) < 160


def test_tip_keys_exist_for_every_reason_that_can_be_a_tip():
    for reason in ("too_small", "blurry", "dark", "bright", "product_small"):
        assert message_key(PhotoResult("tip", reason)) == f"photo_{reason}_tip"
        assert catalogue()[f"photo_{reason}_tip"]["hi"]
    assert catalogue()[KEPT_BEST]["hi"]
    assert message_key(PhotoResult("ok", None)) is None
