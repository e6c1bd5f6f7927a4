"""Shared pieces of the command-line faces: the context, common options, rendering.

Every command module of :mod:`minilat.cli` takes these, so each command stays a thin
wrapper: parse, call one library function, render. Nothing here imports the dataset, the
store or rich at import time: they come on first use, so ``minilat --help`` stays fast.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from minilat import settings
from minilat.errors import BadInput

if TYPE_CHECKING:
    from rich.console import Console

    from minilat.dataset import Dataset
    from minilat.store import Store

__all__ = [
    "Cell",
    "Col",
    "Context",
    "aligned",
    "as_of_option",
    "cannot_write",
    "emit_json",
    "err_console",
    "json_option",
    "out_console",
    "parse_as_of",
    "pass_ctx",
    "plural",
    "prepare_out",
    "print_not_counted",
    "say",
    "say_wrote",
    "size_of",
    "table",
    "verified_option",
    "write_out",
    "writing",
]


class _LazyConsole:
    """A rich Console made on first use (importing rich costs start-up time), and made
    again if the terminal width a shell gives (``COLUMNS``) has changed since: rich fixes
    the width from ``COLUMNS`` when the console is made, so a process that runs the CLI
    at several widths (the tests, through click's runner) laid every later table out at
    the width of the first."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None
        self._columns: str | None = None

    def __getattr__(self, name: str) -> Any:
        columns = os.environ.get("COLUMNS")
        if self._console is None or columns != self._columns:
            from rich.console import Console

            self._console = Console(highlight=False, **self._options)
            self._columns = columns
        return getattr(self._console, name)


out_console: Any = _LazyConsole()
err_console: Any = _LazyConsole(stderr=True)


class Context:
    """What every command gets: the settings, and the store opened on first use."""

    def __init__(
        self,
        db: str | None = None,
        data: str | None = None,
        editorial: str | None = None,
        editorial_url: str | None = None,
        releases: str | None = None,
        monitor: str | None = None,
    ) -> None:
        self.db = Path(settings.resolve("db", db) or "minilat.db")
        self.monitor = Path(settings.resolve("monitor", monitor) or "monitor")
        data_dir = settings.resolve("data", data)
        self.data_dir = Path(data_dir) if data_dir else None
        self._editorial_setting = settings.resolve("editorial", editorial)
        self._editorial_url = settings.resolve("editorial_url", editorial_url)
        self.releases = Path(settings.resolve("releases", releases) or "releases")
        self._store: Store | None = None

    @property
    def editorial(self) -> Path | str:
        """The editorial database: a PostgreSQL address (``--editorial-url``), else the
        SQLite file of the setting, else its default place (editorial_location)."""
        from minilat.editorial.editors import editorial_location

        return editorial_location(self.db, self._editorial_setting, self._editorial_url)

    @property
    def editorial_file(self) -> Path:
        """The SQLite editorial database minilat uses when no PostgreSQL address is set."""
        from minilat.editorial.editors import editorial_path

        return editorial_path(self.db, self._editorial_setting)

    def store(self) -> Store:
        if self._store is None:
            from minilat.store import open_store

            self._store = open_store(self.db, self.data_dir)
        return self._store

    def dataset(self, *, groupings: bool = True) -> Dataset:
        return self.store().dataset(groupings=groupings)


pass_ctx = click.make_pass_decorator(Context)


def parse_as_of(value: str | None, option: str = "--as-of") -> _dt.date:
    """The ``--as-of`` date, today if not given; BadInput for a malformed one or one
    outside :func:`minilat.dataset.as_of_range`."""
    if not value:
        return _dt.date.today()
    from minilat.dataset import parse_as_of

    return parse_as_of(value, option)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """``1 grouping``, ``2 groupings``, ``0 countries`` (:func:`minilat.vocab.plural_noun`,
    or ``plural_form`` where a noun has another).

    >>> plural(1, "editor"), plural(3, "region"), plural(2, "country"), plural(2, "is", "are")
    ('1 editor', '3 regions', '2 countries', '2 are')
    """
    from minilat.vocab import plural_noun

    return f"{n} {noun if n == 1 else plural_form or plural_noun(noun)}"


#: A table cell: the text, or ``(wide, narrow)`` where a shorter form reads as well when
#: the terminal is narrow (a year for a date, "founding" for "founding_member").
Cell = str | tuple[str, str]

#: The width a wrapped text column may be squeezed to before columns are dropped instead.
TEXT_MIN = 14


@dataclass(frozen=True)
class Col:
    """A column of a :func:`table`, and how it gives way when the terminal is narrow.

    ``kind`` says how its cells may be shortened:

    * ``id``: an id a user types next; never cut, wrapped or dropped.
    * ``ids``: ids separated by ", "; each shown whole, as many as fit in ``lines``
      lines, then "+N" for the rest (all of them are in ``--json``); as wide as the
      longest id unless ``min`` says less (longer ids then count in the "+N").
    * ``word``: a short word, date or code: never cut; the column may be dropped.
    * ``num``: a number, right-aligned, never cut; the column may be dropped.
    * ``text``: wrapped to at most ``lines`` lines (``0``: as many as it takes), the last
      one ending in "…" if the text is longer; never narrower than ``min`` (or its longest
      cell).

    ``drop``: columns with a drop rank (1 first, then 2, ...) are left out, in turn, when
    even their narrow forms do not fit; ``narrow``: the header used with the narrow forms.

    ``squeeze``: how narrow a ``text`` column may wrap, below ``min``, as a last resort:
    before the columns of the last drop rank go, the text columns with a ``squeeze`` wrap
    down to it (in as many lines as the text takes, never cut), so that the last column
    to drop keeps its place while it fits at all.
    """

    header: str
    kind: str = "text"
    lines: int = 2
    drop: int = 0
    narrow: str | None = None
    min: int | None = None
    squeeze: int | None = None


def _wrap(text: str, width: int, lines: int) -> str:
    r"""``text`` wrapped to ``width``, at most ``lines`` lines, ending in "…" if cut.

    >>> _wrap("Quadrilateral Security Dialogue", 14, 2)
    'Quadrilateral\nSecurity Dial…'
    >>> _wrap("AUKUS", 14, 2)
    'AUKUS'
    """
    import textwrap

    out: list[str] = []
    for para in text.splitlines() or [""]:
        out.extend(textwrap.wrap(para, width, break_on_hyphens=False) or [""])
    if lines <= 0 or len(out) <= lines:
        return "\n".join(out)
    last = " ".join(out[lines - 1 :])
    return "\n".join([*out[: lines - 1], last[: width - 1].rstrip() + "…"])


def _wrap_ids(text: str, width: int, lines: int) -> str:
    r"""Ids (separated by ", ") in at most ``lines`` lines of ``width``, each id whole;
    "+N" stands for the N that do not fit.

    >>> _wrap_ids("quad-a-2017, quad-b-2021, quad-c-2024", 16, 2)
    'quad-a-2017,\nquad-b-2021 +1'
    >>> _wrap_ids("a, b", 12, 1)
    'a, b'
    >>> _wrap_ids("ai, connectivity_infrastructure", 20, 2)
    'ai +1'
    """
    ids = [i for i in text.split(", ") if i]
    if len(text) <= width:
        return text
    rows: list[list[str]] = [[]]
    for i in (i for i in ids if len(i) + 4 <= width or len(ids) == 1):
        if rows[-1] and len(", ".join([*rows[-1], i])) + 1 > width:  # + a trailing ","
            rows.append([])
        rows[-1].append(i)
    rest = len(ids) - sum(len(r) for r in rows)  # too long for the width
    if len(rows) <= lines and not rest:
        return ",\n".join(", ".join(r) for r in rows)
    rest += sum(len(r) for r in rows[lines:])
    rows = rows[:lines]
    while len(rows[-1]) > 1 and len(", ".join(rows[-1])) + len(f" +{rest}") > width:
        rows[-1].pop()
        rest += 1
    return (",\n".join(", ".join(r) for r in rows) + f" +{rest}").strip()


class _Table:
    """Rows for a rich table laid out for the width it is printed at: ids whole, text
    wrapped to a few lines, narrow forms then fewer columns when the terminal is narrow."""

    def __init__(self, title: str, columns: Sequence[Col]) -> None:
        self.title, self.columns = title, list(columns)
        self.rows: list[list[Cell]] = []

    def add_row(self, *cells: Cell | int | float | None) -> None:
        self.rows.append(
            [c if isinstance(c, tuple) else "" if c is None else str(c) for c in cells]
        )

    def _cells(self, i: int, narrow: bool) -> list[str]:
        return [
            str(r[i][1 if narrow else 0]) if isinstance(r[i], tuple) else str(r[i])
            for r in self.rows
        ]

    def _header(self, col: Col, narrow: bool) -> str:
        return (col.narrow or col.header) if narrow else col.header

    def _widths(
        self, shown: list[int], narrow: bool, width: int, squeeze: bool = False
    ) -> list[int] | None:
        """Each shown column's width, or None if they cannot fit in ``width``; with
        ``squeeze``, the text columns that have one may wrap down to their ``squeeze``."""
        mins, wants = [], []
        for i in shown:
            col = self.columns[i]
            cells = self._cells(i, narrow)
            head = len(self._header(col, narrow))
            natural = max(
                [head, *(max((len(x) for x in c.splitlines()), default=0) for c in cells)]
            )
            if col.kind == "text" and squeeze and col.squeeze:
                # down to its squeeze, or its longest word where that is less
                word = max((len(w) for c in cells for w in c.split()), default=0)
                low = max(head, min(natural, col.squeeze, word))
            elif col.kind == "text":
                low = max(head, min(natural, col.min or TEXT_MIN))
            elif col.kind == "ids":  # the longest id, and room for " +99"
                longest = max((len(x) for c in cells for x in c.split(", ")), default=0)
                low = max(head, min(natural, col.min or longest + 4))
            else:
                low = natural
            mins.append(low)
            wants.append(natural)
        room = width - (3 * len(shown) + 1) - sum(mins)
        if room < 0:
            return None
        widths = list(mins)
        if squeeze:  # what room is left goes first to the last to drop, then in turn
            for k in sorted(range(len(shown)), key=lambda k: -self.columns[shown[k]].drop):
                add = min(wants[k] - widths[k], room)
                widths[k] += add
                room -= add
        while room > 0:
            short = [k for k in range(len(shown)) if widths[k] < wants[k]]
            if not short:
                break
            share = max(1, room // len(short))
            for k in short:
                add = min(share, wants[k] - widths[k], room)
                widths[k] += add
                room -= add
        return widths

    def layout(self, width: int) -> tuple[list[int], list[int], bool]:
        """The columns shown, their widths, and whether narrow forms are used: wide forms
        if they fit, else narrow ones, else narrow ones with columns dropped by rank (ids
        are never dropped: past that, the table is wider than the terminal)."""
        shown = list(range(len(self.columns)))
        for narrow in (False, True):
            widths = self._widths(shown, narrow, width)
            if widths is not None:
                return shown, widths, narrow
        ranks = sorted({c.drop for c in self.columns if c.drop})
        for rank in ranks:
            if rank == ranks[-1]:
                # the last to drop stays while it fits with the text squeezed (Col.squeeze)
                widths = self._widths(shown, True, width, squeeze=True)
                if widths is not None:
                    return shown, widths, True
            shown = [i for i in shown if self.columns[i].drop != rank]
            widths = self._widths(shown, True, width)
            if widths is not None:
                return shown, widths, True
        return shown, self._widths(shown, True, 10**6) or [], True

    def shown_headers(self, width: int) -> list[str]:
        """The headers (wide forms) of the columns shown at ``width``: a legend printed
        under the table describes these and no others."""
        return [self.columns[i].header for i in self.layout(width)[0]]

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.table import Table
        from rich.text import Text

        shown, widths, narrow = self.layout(options.max_width)
        needed = sum(widths) + 3 * len(widths) + 1
        # the title on a line of its own, wrapped to the terminal rather than the table
        yield Text(self.title, style="table.title", justify="left")
        t = Table()
        for i, w in zip(shown, widths, strict=True):
            col = self.columns[i]
            t.add_column(
                self._header(col, narrow),
                width=w,
                no_wrap=True,
                overflow="fold",
                justify="right" if col.kind == "num" else "left",
            )
        columns = [self._cells(i, narrow) for i in shown]
        for r in range(len(self.rows)):
            cells = []
            for k, i in enumerate(shown):
                col, text = self.columns[i], columns[k][r]
                if col.kind == "text":
                    # squeezed below its least width: every line the text takes, none cut
                    squeezed = col.squeeze is not None and widths[k] < (col.min or TEXT_MIN)
                    text = _wrap(text, widths[k], 0 if squeezed else col.lines)
                elif col.kind == "ids":
                    text = _wrap_ids(text, widths[k], col.lines)
                cells.append(Text(text))
            t.add_row(*cells)
        # too narrow even for the ids alone: wider than the terminal rather than cut
        yield from console.render(t, options.update_width(max(needed, options.max_width)))


def table(title: str, columns: Sequence[Col | str], ids: Iterable[int] = (0,)) -> _Table:
    """A table to print with ``out_console.print``, laid out for the terminal's width.

    ``columns`` are :class:`Col` or plain headers; a plain header is an ``id`` column if
    its index is in ``ids`` (the first by default), else ``text``. The title says what the
    rows (and any count in it) are; it is never dropped.

    >>> t = table("2 groupings", [Col("id", "id"), Col("name"), Col("founded", "word",
    ...           drop=1)])
    >>> t.add_row("australia_group", "Australia Group", ("1985-06", "1985"))
    >>> t.add_row("quad", "Quadrilateral Security Dialogue", ("2007-05-25", "2007"))
    >>> t.layout(80)[0], t.layout(46)[0], t.layout(45)[0]
    ([0, 1, 2], [0, 1, 2], [0, 1])
    """
    keep = set(ids)
    cols = [
        c if isinstance(c, Col) else Col(c, "id" if i in keep else "text")
        for i, c in enumerate(columns)
    ]
    return _Table(title, cols)


# ---------------------------------------------------------------- prose


def say(
    body: Any,
    head: Any = "",
    *,
    markup: bool = False,
    style: str | None = None,
    hang: int | None = None,
    console: Any = None,
) -> None:
    """A line of prose wrapped at the terminal's width, its continuation lines under the
    body's first word when a ``head`` leads it ("  wafer_capacity: " then the sources),
    or ``hang`` columns in where a head is long (a source's id).
    It is wrapped at spaces only, so an id or a code is never cut (only a word longer
    than the whole line, an address, is folded). ``markup`` reads rich markup in both
    parts; ``console`` is :data:`out_console` unless given.
    """
    from rich.table import Table
    from rich.text import Text

    def text(s: Any) -> Text:
        t = s.copy() if isinstance(s, Text) else Text.from_markup(s) if markup else Text(s)
        if style:
            t.stylize(style)
        return t

    c = console if console is not None else out_console
    if hang is not None:
        whole = text(head) + text(body)
        for i, line in enumerate(whole.wrap(c, max(c.width - hang, 20), overflow="fold")):
            c.print(Text(" " * hang) + line if i else line)
        return
    if not head:
        c.print(text(body))
        return
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")  # a table's default would cut with "…"
    grid.add_row(text(head), text(body))
    c.print(grid)


def aligned(rows: Iterable[Sequence[str]], indent: int = 2, console: Any = None) -> None:
    """Rows of short fields then a last one of prose (a show's events: date, kind,
    title): each field in a column as wide as its widest, one space apart, the prose
    wrapped under itself at the terminal's width, at spaces (:func:`say`)."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    table = [list(r) for r in rows]
    if not table:
        return
    grid = Table.grid(padding=(0, 1, 0, 0))
    for _ in table[0][:-1]:
        grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for r in table:
        grid.add_row(*(Text(x) for x in r))
    (console if console is not None else out_console).print(Padding(grid, (0, 0, 0, indent)))


# ---------------------------------------------------------------- writing files


def cannot_write(path: Path, e: OSError) -> BadInput:
    """The one-line error of a place that cannot be written (no traceback)."""
    return BadInput(
        f"cannot write {path}: {e.strerror or e}",
        hint="choose a place you can write to (missing folders are made)",
    )


def prepare_out(path: Path, *, folder: bool = False) -> Path | None:
    """Make the folders missing for writing ``path`` (its parent, or ``path`` itself when
    it is a ``folder``): every command that writes makes them, and says so. Returns the
    topmost folder made, or None; a place that cannot be made is a :func:`cannot_write`.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> prepare_out(root / "a" / "b" / "n.xml") == root / "a", prepare_out(root / "n.xml")
    (True, None)
    """
    target = path if folder else path.parent
    made = None
    for p in (target, *target.parents):
        if p.exists():
            break
        made = p
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        blocker = next((p for p in (target, *target.parents) if p.is_file()), None)
        if blocker is not None:
            raise BadInput(
                f"cannot write {path}: {blocker} is a file, not a folder",
                hint="choose a place you can write to (missing folders are made)",
            ) from None
        raise cannot_write(path, e) from None
    return made


@contextmanager
def writing(path: Path, *, folder: bool = False) -> Iterator[Path | None]:
    """Write ``path`` (a file, or a ``folder``) inside this block: its missing folders are
    made first (the folder made, or None, is given), and an OSError becomes a one-line
    :func:`cannot_write` error."""
    made = prepare_out(path, folder=folder)
    try:
        yield made
    except OSError as e:
        raise cannot_write(path, e) from None


def say_wrote(path: Path, what: str, made: Path | None = None) -> None:
    """The success line of every command that writes, on standard error: what was
    written where (``wrote n.xml (288,536 bytes)``), and the folder made for it if any."""
    err_console.print(
        f"wrote {path} ({what})" + (f"; made the folder {made}" if made else ""),
        markup=False,
        soft_wrap=True,
    )


def size_of(path: Path) -> str:
    """A written file's or folder's size in bytes, for :func:`say_wrote`."""
    if path.is_dir():
        n = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    else:
        n = path.stat().st_size
    return f"{n:,} bytes"


def write_out(path: Path, data: str | bytes, what: str = "") -> None:
    """Write ``data`` to ``path`` (``-``: standard output) by the rule of
    :func:`writing`, and say what was written (its size, and ``what`` it holds)."""
    if str(path) == "-":
        click.echo(data if isinstance(data, str) else data.decode(), nl=False)
        return
    with writing(path) as made:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    say_wrote(path, size_of(path) + (f", {what}" if what else ""), made)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/cli.md).")
verified_option = click.option(
    "--verified-only", is_flag=True, help="Leave out facts marked unverified."
)
as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE", help="Answer as of this date (YYYY-MM-DD); default today."
)


def print_not_counted(rows: list[dict[str, Any]], who: str) -> None:
    """Name the groupings whose member lists are incomplete in the record and do not list
    ``who``: not counted for it, but they may hold it (``incomplete_lists`` in the JSON)."""
    if rows:
        names = ", ".join(f"{r['grouping']} ({r['named_of_published']})" for r in rows)
        out_console.print(
            f"Not counted: {plural(len(rows), 'grouping')} whose member lists are incomplete in "
            f"the record (named of published) may also include {who}: {names}.",
            markup=False,
            style="yellow",
        )
