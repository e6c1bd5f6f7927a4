"""Synthetic GDELT 2.0 files, in the exact published formats, with the mess of real ones
and with their ground truth.

No GDELT file can be downloaded where minilat is tested, so its tests, benchmarks and demo
run on files written here. **Everything this module writes is synthetic**: the events,
articles, tones and themes are random draws, not news. What is real is the format: the
file names, the 61 / 16 / 27 tab-separated columns of the event, mentions and GKG 2.1
tables, the nested ``;`` ``,`` ``#`` delimiters of GKG fields, zipped as GDELT zips them.

With ``mess=True`` the files also carry what real files do, and the generator counts it so
tests can check the ingest reports exactly that:

- fields holding quotes (``"PRIME MINISTER"``) and many empty fields (not problems);
- lines with the wrong number of columns, invalid UTF-8, a non-numeric score and
  duplicate event ids (each one problem, reported ``file:line``);
- truncated zips (the whole file is reported corrupt and skipped).

Each GKG article is written from a *scenario* that fixes its true subject, so the
matching rule's precision can be measured against the truth (see :func:`label_sample`).

>>> import tempfile, pathlib, datetime as dt
>>> with tempfile.TemporaryDirectory() as d:
...     g = generate(pathlib.Path(d), start=dt.date(2024, 1, 1), days=1, files_per_day=2,
...                  events_per_file=50, articles_per_file=10, seed=1)
...     sorted(p.name for p in g.paths)[:3]
['20240101000000.export.CSV.zip', '20240101000000.gkg.csv.zip', '20240101000000.mentions.CSV.zip']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import random
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from minilat.monitor import codes
from minilat.monitor.matching import Target, is_distinctive

__all__ = ["Article", "Generated", "generate", "master_list", "write_gdelt_file"]

# (EventCode, EventRootCode, QuadClass, GoldsteinScale) drawn for synthetic events.
_EVENT_CODES = (
    ("010", "01", 1, 0.0),
    ("036", "03", 1, 4.0),
    ("042", "04", 1, 1.9),
    ("043", "04", 1, 2.8),
    ("057", "05", 1, 8.0),
    ("061", "06", 2, 6.4),
    ("071", "07", 2, 7.4),
    ("111", "11", 3, -2.0),
    ("130", "13", 3, -4.4),
    ("163", "16", 4, -8.0),
    ("173", "17", 4, -5.0),
    ("190", "19", 4, -10.0),
)
# States the synthetic news is mostly about, and CAMEO's non-state regional codes.


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_STATES = _words(
    "USA JPN IND AUS GBR FRA DEU ITA CAN CHN RUS KOR TWN BRA ZAF ISR ARE EST POL NLD "
    "SWE FIN NOR SGP IDN VNM PHL MEX TUR SAU EGY NGA KEN ARG UKR"
)
_REGIONS = ("EUR", "AFR", "ASA", "WST", "MEA")
_THEMES = _words(
    "TAX_FNCACT_LEADERS GENERAL_GOVERNMENT MILITARY ECON_TRADE TECH_SEMICONDUCTORS "
    "CYBER_ATTACK DIPLOMACY SUPPLY_CHAIN ENERGY HEALTH EDUCATION SPORTS CRIME WEATHER"
)
_NOISE_TITLES = (
    "Storm closes schools across the region",
    'Court rules on "landmark" tax case',
    "Local team wins the cup final",
    "Central bank holds interest rates",
    "New museum opens its doors",
)
# Names that are also ordinary words, with ordinary-sense titles that use them.
_COMMON_SENSE = {
    "quad": ("Quad bike crash injures rider near {place}", "Police seize stolen quad in {place}"),
    "chip 4": ("Chip 4 of the new processor line ships in {place}",),
    "fab 4": ("Fab 4 tribute band tours {place}",),
}


@dataclass(frozen=True)
class Article:
    """The ground truth of one generated GKG article."""

    gkg_id: str
    scenario: str
    truth: frozenset[str]
    title: str
    places: frozenset[str]


@dataclass
class Generated:
    """What :func:`generate` wrote: the files, and what an ingest must find in them."""

    paths: list[Path] = field(default_factory=list)
    events: int = 0  # event lines a correct ingest keeps
    mentions: int = 0
    articles: list[Article] = field(default_factory=list)
    problems: dict[str, int] = field(default_factory=dict)  # file name -> bad lines
    corrupt: list[str] = field(default_factory=list)


def _names(iso3: str) -> str:
    from minilat import countries

    return countries.state(iso3).name


def _geo(iso3: str) -> list[str]:
    fips = codes.iso3_to_fips(iso3) or ""
    return ["1", _names(iso3), fips, fips, "", "0", "0", fips]


class _Writer:
    def __init__(self, rng: random.Random, targets: Sequence[Target], mess: bool) -> None:
        self.rng = rng
        self.targets = list(targets)
        self.mess = mess
        self.event_id = 1_000_000_000
        self._actor = {c: [c, _names(c).upper(), c, "", "", "", "", "GOV", "", ""] for c in _STATES}
        for r in _REGIONS:
            self._actor[r] = [r, r, r, "", "", "", "", "", "", ""]
        self._geo = {c: _geo(c) for c in _STATES}

    def events(self, stamp: str, n: int, gen: Generated) -> tuple[list[bytes], list[bytes], int]:
        rng = self.rng
        day = _dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
        lines: list[bytes] = []
        mentions: list[bytes] = []
        bad = 0
        for _ in range(n):
            self.event_id += 1
            eid = self.event_id
            d = day - _dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            sqldate = d.strftime("%Y%m%d")
            a1 = rng.choice(_STATES)
            a2 = rng.choice(_STATES if rng.random() < 0.85 else _REGIONS)
            code, root, quad, gold = rng.choice(_EVENT_CODES)
            articles = rng.choice((1, 1, 1, 2, 3, 5, 10))
            tone = f"{rng.uniform(-8, 6):.6f}"
            actor1 = list(self._actor[a1])
            if self.mess and rng.random() < 0.01:
                actor1[1] = '"PRIME MINISTER"'
            geo = self._geo[a1 if rng.random() < 0.5 else rng.choice(_STATES)]
            fields = [
                str(eid),
                sqldate,
                sqldate[:6],
                sqldate[:4],
                f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}",
                *actor1,
                *self._actor[a2],
                "1",
                code,
                code,
                root,
                str(quad),
                str(gold),
                str(articles * 2),
                str(max(1, articles // 2)),
                str(articles),
                tone,
                *self._geo[a1],
                *self._geo.get(a2, [""] * 8),
                *geo,
                stamp,
                f"https://news.example/{eid}",
            ]
            good = True
            twice = False
            if self.mess:
                r = rng.random()
                if r < 0.003:
                    fields = fields[:30]  # a short line
                    good = False
                elif r < 0.006:
                    fields[6] = "\x00"  # replaced by an invalid UTF-8 byte below
                    good = False
                elif r < 0.008:
                    fields[30] = "n/a"  # GoldsteinScale not a number
                    good = False
                elif r < 0.010:
                    twice = True  # the same event id on two lines
            line = "\t".join(fields).encode().replace(b"\x00", b"S\xe3O PAULO")
            lines.append(line)
            if good:
                gen.events += 1
            else:
                bad += 1
            if twice:
                lines.append(line)
                bad += 1
            for k in range(rng.choice((1, 1, 2))):
                mentions.append(self._mention(eid, stamp, k))
        return lines, mentions, bad

    def _mention(self, eid: int, stamp: str, k: int) -> bytes:
        rng = self.rng
        fields = [
            str(eid),
            stamp,
            stamp,
            "1",
            "news.example",
            f"https://news.example/{eid}/{k}",
            str(rng.randint(1, 20)),
            "-1",
            "-1",
            "-1",
            "1",
            str(rng.choice((10, 50, 100))),
            str(rng.randint(500, 5000)),
            f"{rng.uniform(-8, 6):.6f}",
            "",
            "",
        ]
        return "\t".join(fields).encode()

    def articles(self, stamp: str, n: int, gen: Generated) -> tuple[list[bytes], int]:
        rng = self.rng
        lines: list[bytes] = []
        bad = 0
        for i in range(n):
            gkg_id = f"{stamp}-{'T' if rng.random() < 0.1 else ''}{i}"
            art = self._article(gkg_id)
            gen.articles.append(art)
            themes = rng.sample(_THEMES, rng.randint(0, 4))
            places = sorted(art.places)
            loc1 = ";".join(
                f"1#{_names(p)}#{codes.iso3_to_fips(p)}#{codes.iso3_to_fips(p)}#0#0#"
                f"{codes.iso3_to_fips(p)}"
                for p in places
            )
            loc2 = ";".join(
                f"1#{_names(p)}#{codes.iso3_to_fips(p)}#{codes.iso3_to_fips(p)}##0#0#"
                f"{codes.iso3_to_fips(p)}#{rng.randint(1, 3000)}"
                for p in places
            )
            orgs = self._orgs(art)
            tone = rng.uniform(-6, 4)
            fields = [
                gkg_id,
                stamp,
                "1",
                "news.example",
                f"https://news.example/a/{gkg_id}",
                "",
                "",
                ";".join(themes),
                ";".join(f"{t},{rng.randint(1, 3000)}" for t in themes),
                loc1,
                loc2,
                "",
                "",
                ";".join(orgs),
                ";".join(f"{o},{rng.randint(1, 3000)}" for o in orgs),
                f"{tone:.6f},{max(tone, 0):.2f},{max(-tone, 0):.2f},{abs(tone):.2f},20.5,1.2,"
                f"{rng.randint(200, 2000)}",
                "",
                "wc:500",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                f"<PAGE_TITLE>{art.title}</PAGE_TITLE>",
            ]
            line = "\t".join(fields).encode()
            r = rng.random() if self.mess else 1.0
            if r < 0.01:
                line = b"\t".join(line.split(b"\t")[:12])  # a short line
            elif r < 0.015:
                line = line.replace(b"<PAGE_TITLE>", b"<PAGE_TITLE>\xff")  # invalid UTF-8
            if r < 0.015:
                bad += 1
                gen.articles.pop()
            lines.append(line)
        return lines, bad

    def _article(self, gkg_id: str) -> Article:
        rng = self.rng
        r = rng.random()
        t = rng.choice(self.targets)
        members = sorted(t.members)
        short = [n for n in t.names if not is_distinctive(n)]
        long = [n for n in t.names if is_distinctive(n)]
        if r < 0.15 and long:
            places = rng.sample(members, min(len(members), rng.randint(0, 3)))
            title = f"Officials of the {rng.choice(long)} meet"
            return Article(gkg_id, "full name", frozenset({t.grouping}), title, frozenset(places))
        if r < 0.40 and short and len(members) >= 2:
            places = rng.sample(members, min(len(members), rng.randint(2, 4)))
            title = f"{rng.choice(short)} ministers agree new technology plan"
            return Article(
                gkg_id, "short name, members", frozenset({t.grouping}), title, frozenset(places)
            )
        if r < 0.48 and short:
            places = rng.sample(members, min(len(members), rng.randint(0, 1)))
            title = f"What the {rng.choice(short)} means for the region"
            return Article(
                gkg_id, "short name, no members", frozenset({t.grouping}), title, frozenset(places)
            )
        if r < 0.70:
            word = rng.choice(sorted(_COMMON_SENSE))
            places = rng.sample(_STATES[:12], rng.randint(1, 3))
            title = rng.choice(_COMMON_SENSE[word]).format(place=_names(places[0]))
            return Article(gkg_id, f"common word {word!r}", frozenset(), title, frozenset(places))
        places = rng.sample(_STATES, rng.randint(0, 3))
        return Article(
            gkg_id, "unrelated", frozenset(), rng.choice(_NOISE_TITLES), frozenset(places)
        )

    def _orgs(self, art: Article) -> list[str]:
        orgs = ["city council"] if self.rng.random() < 0.3 else []
        if art.scenario == "full name":
            orgs.append(art.title.removeprefix("Officials of the ").removesuffix(" meet").lower())
        return orgs


def write_gdelt_file(path: Path, lines: Sequence[bytes], *, zipped: bool = True) -> Path:
    """Write lines as GDELT does: newline-terminated, zipped with one member named as the
    file without ``.zip``."""
    data = b"".join(line + b"\n" for line in lines)
    if zipped:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(path.name.removesuffix(".zip"), data)
        data = buf.getvalue()
    path.write_bytes(data)
    return path


def generate(
    out: Path,
    *,
    start: _dt.date,
    days: int,
    files_per_day: int = 4,
    events_per_file: int = 200,
    articles_per_file: int = 40,
    targets: Sequence[Target] | None = None,
    mess: bool = True,
    zipped: bool = True,
    mentions: bool = True,
    truncate_every: int = 0,
    seed: int = 0,
) -> Generated:
    """Write ``days`` days of synthetic GDELT files into folder ``out``.

    Each day has ``files_per_day`` sets of files (GDELT itself publishes 96; fewer, larger
    files make benchmarks quicker and change nothing else). ``targets`` are the groupings
    articles may be about (default: the bundled dataset's). With ``truncate_every=k`` every
    k-th events file is cut short, as an interrupted download is.
    """
    if targets is None:
        from minilat.dataset import load
        from minilat.monitor.matching import targets_from_dataset

        targets = [t for t in targets_from_dataset(load().groupings.values()) if t.members]
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    w = _Writer(rng, targets, mess)
    gen = Generated()
    step = 24 * 60 // files_per_day
    ext = ".zip" if zipped else ""
    n_events_files = 0
    for d in range(days):
        day = start + _dt.timedelta(days=d)
        for k in range(files_per_day):
            t = _dt.datetime(day.year, day.month, day.day) + _dt.timedelta(minutes=k * step)
            stamp = t.strftime("%Y%m%d%H%M%S")
            events_before = gen.events
            ev, mn, bad = w.events(stamp, events_per_file, gen)
            n_events_files += 1
            p = write_gdelt_file(out / f"{stamp}.export.CSV{ext}", ev, zipped=zipped)
            if truncate_every and zipped and n_events_files % truncate_every == 0:
                data = p.read_bytes()
                p.write_bytes(data[: len(data) * 2 // 3])
                gen.corrupt.append(p.name)
                gen.events = events_before
            elif bad:
                gen.problems[p.name] = bad
            gen.paths.append(p)
            if mentions:
                gen.paths.append(
                    write_gdelt_file(out / f"{stamp}.mentions.CSV{ext}", mn, zipped=zipped)
                )
                gen.mentions += len(mn)
            if articles_per_file:
                arts, bad = w.articles(stamp, articles_per_file, gen)
                p = write_gdelt_file(out / f"{stamp}.gkg.csv{ext}", arts, zipped=zipped)
                if bad:
                    gen.problems[p.name] = bad
                gen.paths.append(p)
    return gen


def master_list(paths: Sequence[Path], base_url: str) -> str:
    """A ``masterfilelist.txt`` for files: one ``SIZE MD5 URL`` line each, as GDELT's."""
    lines = []
    for p in paths:
        data = p.read_bytes()
        lines.append(f"{len(data)} {hashlib.md5(data).hexdigest()} {base_url.rstrip('/')}/{p.name}")
    return "\n".join(lines) + "\n"
