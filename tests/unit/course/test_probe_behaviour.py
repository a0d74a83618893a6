"""probe's helpers for judging behaviour: what a run did, what it wrote, whether an
object is the image it claims to be, and a wrong figure matched to the slip that gives it."""

from __future__ import annotations

import io

import pytest

from lambdalab.course.probe import NotYet, Run, decode_image, which_slip, wrote_words


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_decode_image_opens_a_real_image():
    assert decode_image(_png(), "the thumbnail").size == (4, 3)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", ["the thumbnail is an empty object (0 bytes)", "seek(0)"]),
        (b"hello, not an image", ["19 bytes", "b'hello, n'", "not an image Pillow can read"]),
        (_png()[:40], ["40 bytes", "not an image Pillow can read"]),
    ],
)
def test_decode_image_says_why_an_object_is_not_an_image(data, words):
    with pytest.raises(NotYet) as error:
        decode_image(data, "the thumbnail")
    for word in words:
        assert word in str(error.value)


def test_wrote_words_lists_new_keys_or_nothing():
    assert wrote_words(set()) == "wrote nothing"
    assert wrote_words({"b", "a"}) == "wrote 'a', 'b'"
    assert wrote_words({"1", "2", "3", "4", "5"}) == "wrote '1', '2', '3' and 2 more"


def test_a_run_says_what_the_function_did_when_nothing_failed():
    start = "START RequestId: 1 Version: $LATEST"
    report = "REPORT RequestId: 1\tDuration: 1 ms"
    quiet = Run([start, "END RequestId: 1", report], [])
    talking = Run([start, "Skipping a.txt: not an image", "END RequestId: 1", report], [])
    assert quiet.outcome() == "it ran 1 time without an error and printed nothing"
    assert talking.printed == ["Skipping a.txt: not an image"]
    assert "printed 'Skipping a.txt: not an image'" in talking.outcome()
    assert Run([], []).outcome() == "it did not run"
    failed = Run([start, "[ERROR] KeyError: 'x'", report], [])
    assert failed.outcome() == "it failed: KeyError: 'x'"


def test_which_slip_names_only_a_slip_whose_figure_the_answer_is():
    slips = {"counted twice": 2.0, "halved": 0.5, "same as right": 1.0}
    assert which_slip(2.0, 1.0, slips) == "counted twice"
    assert which_slip(0.5, 1.0, slips) == "halved"
    assert which_slip(1.0, 1.0, slips) is None  # a slip that gives the right figure names nothing
    assert which_slip(3.0, 1.0, slips) is None
    assert which_slip("2.0", 1.0, slips) is None
    assert which_slip(float("nan"), 1.0, slips) is None
