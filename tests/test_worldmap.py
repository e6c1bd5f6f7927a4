"""The world map's outlines (minilat.web.worldmap): the names they carry."""

from __future__ import annotations

from minilat.web import worldmap


def test_a_state_has_one_name_on_every_map() -> None:
    """The atlas's names ("Turkey", "Macedonia", "eSwatini") titled the states a map left
    unshaded, the site's ("Türkiye") those it shaded: one map, two names for a state."""
    from minilat import countries
    from minilat.errors import MinilatError

    checked = 0
    for s in worldmap.shapes():
        if not s.iso3:
            continue
        try:
            expected = countries.state(s.iso3).name
        except MinilatError:
            continue
        assert s.name == expected, (s.iso3, s.name, expected)
        checked += 1
    assert checked > 180
    names = {s.iso3: s.name for s in worldmap.shapes()}
    assert (names["TUR"], names["MKD"], names["SWZ"]) == ("Türkiye", "North Macedonia", "Eswatini")
