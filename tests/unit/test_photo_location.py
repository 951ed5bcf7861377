"""Where a photo was taken: EXIF GPS → decimal degrees (and the area text the camera wrote)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from leh.pipeline.parsers.image import exif_location
from tests.support import samples


def test_gps_becomes_decimal_degrees_with_the_area_text() -> None:
    data = samples.gps_jpeg((37.0, 29.0, 52.8), (127.0, 1.0, 40.2), area="서울 강남구 역삼동")
    with Image.open(io.BytesIO(data)) as image:
        assert exif_location(image) == {"lat": 37.498, "lon": 127.027833, "source": "exif", "address": "서울 강남구 역삼동"}


def test_south_and_west_are_negative() -> None:
    with Image.open(io.BytesIO(samples.gps_jpeg((33.0, 52.0, 0.0), (151.0, 12.0, 36.0), refs="SW"))) as image:
        assert exif_location(image) == {"lat": -33.866667, "lon": -151.21, "source": "exif"}


@pytest.mark.parametrize("data", [
    samples.gps_jpeg((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),  # the "no fix" placeholder some phones write
    samples.gps_jpeg((95.0, 0.0, 0.0), (127.0, 0.0, 0.0)),  # not on Earth
])
def test_implausible_positions_are_ignored(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert exif_location(image) is None


def test_a_photo_without_gps_has_no_location() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG")
    with Image.open(buf) as image:
        assert exif_location(image) is None
