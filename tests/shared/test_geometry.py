"""Window geometry flags and the demo's tiling."""

import pytest

from shared.client.geometry import Geometry, parse_geometry, tile_demo


def test_geometry_round_trip():
    assert parse_geometry("1280x720+640+0") == Geometry(1280, 720, 640, 0)
    assert str(Geometry(1280, 720, 640, 0)) == "1280x720+640+0"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1280x720", "not a window geometry"),
        ("big", "not a window geometry"),
        ("10x10+0+0", "out of range"),
    ],
)
def test_bad_geometry_is_named(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_geometry(text)


@pytest.mark.parametrize(("width", "height"), [(1920, 1040), (1366, 728), (2560, 1400)])
def test_demo_tiles_cover_the_screen_without_overlap(width, height):
    tiles = tile_demo(width, height)
    assert sum(g.width * g.height for g in tiles.values()) == width * height
    for g in tiles.values():
        assert g.x >= 0 and g.y >= 0 and g.x + g.width <= width and g.y + g.height <= height
