"""A world map drawn on the server as SVG, from Natural Earth's boundaries.

The shapes are Natural Earth's 1:50m Admin 0 countries, vendored from the npm package
``world-atlas`` 2.0.2 (``static/vendor/world-atlas/``, public domain data, ISC packaging).
They are decoded once per process, projected with the Equal Earth projection, simplified
to what a 960-pixel map can show, and kept as SVG path strings; each map is then only a
choice of fill per country, so drawing one costs a string join.

States too small to see (Singapore, Bahrain, Tuvalu ...) get a dot as well, so every
entity in the dataset can be seen and shaded. Areas Natural Earth draws apart without an
ISO code (Kosovo, Northern Cyprus, Somaliland, Siachen) are drawn and never shaded.

Two ways to write the outlines. A standalone drawing (the ``.svg`` downloads) holds them
all, about 85 KB of path data. A map inside a page (``sprite=...``) holds none: each
state is a ``<use>`` of its outline in one shared file, :func:`sprite`, which the
browser fetches once and keeps (its address changes with its content, :func:`sprite_url`,
so it can be cached for a year), with its own fill and tooltip. No script is needed; the
page's map then weighs about 20 KB instead of 100 KB, a large share of what every page
with a map cost to send and to gzip.

>>> m = draw({"TWN": Shade("#08519c", "Taiwan: member")}, label="Taiwan")
>>> 'aria-label="Taiwan"' in m and "Taiwan: member" in m
True
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from itertools import pairwise
from pathlib import Path

import pycountry

from minilat.errors import MinilatError

__all__ = [
    "HEIGHT",
    "SPRITE_ROUTE",
    "WIDTH",
    "Legend",
    "Shade",
    "Shape",
    "draw",
    "shapes",
    "sprite",
    "sprite_url",
    "sprite_version",
]

_DIR = Path(__file__).parent / "static" / "vendor" / "world-atlas"
#: The drawing's size in SVG units (it scales to any screen).
WIDTH = 960
#: Antarctica is left out; the map stops at 58 degrees south.
_SOUTH = -58.0
_TOLERANCE = 0.6  # pixels: how far a simplified outline may stray from the original
_DOT_BELOW = 6.0  # pixels: a state whose box is smaller than this also gets a dot
_LAND = "#dde2e7"
_EDGE = "#ffffff"

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    t = math.asin(_M * math.sin(phi))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = lam * math.cos(t) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = t * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_XMAX = _equal_earth(180, 0)[0]
_YTOP = _equal_earth(0, 90)[1]
_YBOTTOM = _equal_earth(0, _SOUTH)[1]
_SCALE = WIDTH / (2 * _XMAX)
#: The drawing's height in SVG units.
HEIGHT = round((_YTOP - _YBOTTOM) * _SCALE)


def _px(lon: float, lat: float) -> tuple[float, float]:
    x, y = _equal_earth(lon, max(lat, _SOUTH - 1))
    return (x + _XMAX) * _SCALE, (_YTOP - y) * _SCALE


@dataclass(frozen=True)
class Shape:
    """One of Natural Earth's shapes, ready to draw."""

    #: ISO 3166-1 alpha-3 code, or "" for areas without one (Kosovo, Somaliland ...).
    iso3: str
    name: str
    #: SVG path data ("" for a state known only as a point).
    d: str
    #: Where its dot goes, if it gets one (too small to see, or a point only).
    dot: tuple[float, float] | None


@dataclass(frozen=True)
class Shade:
    """How one state is drawn on a map: its fill and the text of its tooltip."""

    fill: str
    title: str


@dataclass(frozen=True)
class Legend:
    """One key of a map's legend."""

    fill: str
    label: str


def _simplify(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that stray more than :data:`_TOLERANCE` pixels from
    the line between the points kept around them (an arc's ends are always kept, so
    neighbours sharing an arc keep sharing it exactly)."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, at = 0.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            if norm:
                dist = abs(dy * (px - x1) - dx * (py - y1)) / norm
            else:
                dist = math.hypot(px - x1, py - y1)
            if dist > best:
                best, at = dist, k
        if best > _TOLERANCE:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _path(pts: Sequence[tuple[float, float]]) -> str:
    """A closed SVG path through ``pts`` in relative steps of a tenth of a pixel.

    A ring cut at the antimeridian (Fiji, Chukotka) jumps across the map; it is drawn
    as one closed piece on each side instead of a line across the world.
    """
    q = [(round(x * 10), round(y * 10)) for x, y in pts]
    jumps = [i for i in range(1, len(q)) if abs(q[i][0] - q[i - 1][0]) > WIDTH * 5]
    sides: list[list[tuple[int, int]]] = [q]
    if jumps:  # start just after a jump: the pieces then alternate sides
        q = q[jumps[0] :] + q[: jumps[0]]
        sides = [[], []]
        side = 0
        for i, p in enumerate(q):
            if i and abs(p[0] - q[i - 1][0]) > WIDTH * 5:
                side = 1 - side
            sides[side].append(p)
    out = []
    for piece in sides:
        steps = []
        for (ax, ay), (bx, by) in pairwise(piece):
            if (ax, ay) != (bx, by):
                steps.append(f"{(bx - ax) / 10:g},{(by - ay) / 10:g}")
        if len(steps) >= 2:
            sx, sy = piece[0]
            out.append(f"M{sx / 10:g},{sy / 10:g}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(out)


def _iso3(numeric: str | None) -> str:
    if numeric is None:
        return ""
    c = pycountry.countries.get(numeric=numeric)
    return str(c.alpha_3) if c is not None else ""


@cache
def shapes() -> tuple[Shape, ...]:
    """Every shape of the vendored atlas, projected and simplified (once per process)."""
    topo = json.loads((_DIR / "countries-50m.json").read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append(_px(x * sx + tx, y * sy + ty))
        arcs.append(_simplify(pts))

    def ring(ids: Sequence[int]) -> list[tuple[float, float]]:
        pts: list[tuple[float, float]] = []
        for i in ids:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a[1:] if pts else a)
        return pts

    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id") == "010":  # Antarctica
            continue
        polys = [g["arcs"]] if g["type"] == "Polygon" else g.get("arcs", [])
        parts = []
        xs: list[float] = []
        ys: list[float] = []
        for poly in polys:
            for r in poly:
                pts = ring(r)
                xs += [p[0] for p in pts]
                ys += [p[1] for p in pts]
                d = _path(pts) if len(pts) >= 3 else ""
                if d:
                    parts.append(d)
        if not xs:
            continue
        small = not parts or (max(xs) - min(xs) < _DOT_BELOW and max(ys) - min(ys) < _DOT_BELOW)
        dot = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2) if small else None
        code = _iso3(g.get("id"))
        out.append(Shape(code, _name(code, g["properties"]["name"]), "".join(parts), dot))
    extra = json.loads((_DIR / "extra-points.json").read_text(encoding="utf-8"))
    for numeric, e in sorted(extra.items()):
        code = _iso3(numeric)
        if code:
            out.append(Shape(code, _name(code, e["name"]), "", _px(e["lon"], e["lat"])))
    return tuple(out)


def _name(iso3: str, atlas: str) -> str:
    """A shape's name as the rest of the site gives the state (the states' table:
    "Türkiye", "North Macedonia", "Eswatini"), else the atlas's. One map named the same
    state two ways: the atlas's name when unshaded, the site's when shaded."""
    from minilat import countries

    if iso3:
        try:
            return countries.state(iso3).name
        except MinilatError:
            pass
    return atlas


@cache
def _unshaded() -> tuple[str, ...]:
    """Each shape's outline as drawn when it is not shaded (the land colour, its own name
    as title): the same on every map, so written once per process, like the shapes."""
    out = []
    for s in shapes():
        code = f' data-iso3="{s.iso3}"' if s.iso3 else ""
        path = f'<path d="{s.d}" fill="{_LAND}"{code}><title>{escape(s.name)}</title></path>'
        out.append(path if s.d else "")
    return tuple(out)


#: Where the site serves :func:`sprite` (``{version}``: :func:`sprite_version`).
SPRITE_ROUTE = "/maps/world-{version}.svg"
_GROUP = f'<g stroke="{_EDGE}" stroke-width="0.4" stroke-linejoin="round"'


@cache
def sprite() -> str:
    """Every outline of :func:`shapes` once, each a ``<path>`` with an id (``s`` and its
    index) and no fill of its own, so that a ``<use>`` of it takes the fill it is given.
    Opened alone it draws the world in the land colour."""
    paths = "".join(f'<path id="s{i}" d="{s.d}"/>' for i, s in enumerate(shapes()) if s.d)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">'
        f'{_GROUP} fill="{_LAND}">{paths}</g></svg>'
    )


@cache
def sprite_version() -> str:
    """A short hash of :func:`sprite`: its address changes whenever its content does."""
    return hashlib.blake2b(sprite().encode(), digest_size=6).hexdigest()


def sprite_url() -> str:
    """The address of :func:`sprite` on the site."""
    return SPRITE_ROUTE.format(version=sprite_version())


@cache
def _unshaded_uses() -> tuple[str, ...]:
    """:func:`_unshaded` for a map inside a page: each outline a ``<use>`` of the sprite
    (its fill, the land colour, comes from the group around them)."""
    url = sprite_url()
    out = []
    for i, s in enumerate(shapes()):
        code = f' data-iso3="{s.iso3}"' if s.iso3 else ""
        use = f'<use href="{url}#s{i}"{code}><title>{escape(s.name)}</title></use>'
        out.append(use if s.d else "")
    return tuple(out)


def draw(
    shades: Mapping[str, Shade],
    *,
    label: str,
    legend: Sequence[Legend] = (),
    element_id: str | None = None,
    sprite: bool = False,
) -> str:
    """The SVG of a world map, each state in ``shades`` (by ISO3 code) filled and titled.

    Fills are presentation attributes, not styles, so the same text works inside a page
    under a strict Content-Security-Policy and as a standalone ``.svg`` file. The
    drawing is one image to assistive technology (``role="img"``, ``label``), and adds
    no Tab stops. With ``sprite``, the outlines are ``<use>`` references to
    :func:`sprite_url` (for a page); without, they are written out (a standalone file).
    """
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {WIDTH} {HEIGHT + (28 if legend else 0)}"'
        f' role="img" aria-label="{escape(label)}" class="worldmap"'
        + (f' id="{escape(element_id)}"' if element_id else "")
        + f'><title>{escape(label)}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f7fa"/>'
        + (f'{_GROUP} fill="{_LAND}">' if sprite else f"{_GROUP}>")
    ]
    dots = []
    url = sprite_url() if sprite else ""
    for i, (s, unshaded) in enumerate(
        zip(shapes(), _unshaded_uses() if sprite else _unshaded(), strict=True)
    ):
        shade = shades.get(s.iso3) if s.iso3 else None
        if shade is None:  # most of the world on most maps
            parts.append(unshaded)
            continue
        fill = shade.fill
        title = escape(shade.title)
        code = f' data-iso3="{s.iso3}"' if s.iso3 else ""
        if s.d and sprite:
            parts.append(f'<use href="{url}#s{i}" fill="{fill}"{code}><title>{title}</title></use>')
        elif s.d:
            parts.append(f'<path d="{s.d}" fill="{fill}"{code}><title>{title}</title></path>')
        if s.dot is not None:
            x, y = s.dot
            dots.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}" stroke="#1a1a1a"'
                f' stroke-width="0.6"{code}><title>{title}</title></circle>'
            )
    parts.append("</g>")
    parts.extend(dots)
    if legend:
        x = 8.0
        parts.append('<g font-size="13" font-family="system-ui, sans-serif" fill="#1a1a1a">')
        for key in legend:
            parts.append(
                f'<rect x="{x:.0f}" y="{HEIGHT + 9}" width="14" height="14" fill="{key.fill}"'
                f' stroke="#6b7280" stroke-width="0.6"/>'
                f'<text x="{x + 19:.0f}" y="{HEIGHT + 21}">{escape(key.label)}</text>'
            )
            x += 19 + 7.2 * len(key.label) + 18
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
