"""Vendor Natural Earth's country boundaries from the npm package ``world-atlas``.

Usage (once, when upgrading; the result is committed, nothing downloads at run time)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/vendor_world_atlas.py package/

Copies ``countries-50m.json`` (Natural Earth 1:50m admin-0 countries as TopoJSON) and the
licence, and derives ``extra-points.json``: the centre of each country of the 1:10m file
that the 1:50m file leaves out (Tuvalu, Gibraltar ...), so every entity can be drawn.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

DEST = Path(__file__).resolve().parents[1] / "src/minilat/web/static/vendor/world-atlas"


def _decoded_points(topo: dict, arc_ids: list[int]) -> list[tuple[float, float]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for a in arc_ids:
        x = y = 0
        for dx, dy in topo["arcs"][a if a >= 0 else ~a]:
            x, y = x + dx, y + dy
            out.append((x * sx + tx, y * sy + ty))
    return out


def _arc_ids(arcs: object) -> list[int]:
    if isinstance(arcs, int):
        return [arcs]
    return [i for a in arcs for i in _arc_ids(a)]  # type: ignore[attr-defined]


def main(package: Path) -> None:
    DEST.mkdir(parents=True, exist_ok=True)
    meta = json.loads((package / "package.json").read_text())
    shutil.copy(package / "countries-50m.json", DEST / "countries-50m.json")
    shutil.copy(package / "LICENSE", DEST / "LICENSE")
    have = {
        g.get("id")
        for g in json.loads((package / "countries-50m.json").read_text())["objects"]["countries"][
            "geometries"
        ]
    }
    fine = json.loads((package / "countries-10m.json").read_text())
    extra = {}
    for g in fine["objects"]["countries"]["geometries"]:
        if g.get("id") in have or "id" not in g:
            continue
        pts = _decoded_points(fine, _arc_ids(g["arcs"]))
        lon = sum(p[0] for p in pts) / len(pts)
        lat = sum(p[1] for p in pts) / len(pts)
        extra[g["id"]] = {
            "name": g["properties"]["name"],
            "lon": round(lon, 3),
            "lat": round(lat, 3),
        }
    (DEST / "extra-points.json").write_text(json.dumps(extra, indent=1, sort_keys=True) + "\n")
    (DEST / "VERSION").write_text(f"world-atlas {meta['version']} ({meta.get('license')})\n")
    print(f"vendored world-atlas {meta['version']}: {len(have)} shapes, {len(extra)} extra points")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
