"""Rendering one result twice: HTML through a Jinja2 template, or JSON.

Templates autoescape everything; nothing a visitor types reaches a page unescaped.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import do_urlencode
from jinja2.nodes import Expr
from markupsafe import Markup

from minilat.memo import Memo
from minilat.vocab import plural_noun
from minilat.web import findings, footnotes, maps, rows, wording
from minilat.web.escaping import escape_text
from minilat.web.http import dumps, error_body, etag_of, wants_json

__all__ = ["CACHE_CONTROL", "PAGES_MAX_BYTES", "Renderer", "json_response", "request_wants_json"]

#: Caching for answers derived from the (read-only) dataset.
CACHE_CONTROL = "public, max-age=300"
#: What the memo of rendered pages may hold (bytes, estimated): see :meth:`Renderer.html`.
PAGES_MAX_BYTES = 16 * 1024 * 1024

NAV = [
    ("/", "Home"),
    ("/groupings", "Groupings"),
    ("/pulse", "Pulse"),
    ("/countries", "Countries"),
    ("/network", "Network"),
    ("/design", "Designer"),
    ("/whatif", "What if"),
    ("/methodology", "Methodology"),
    ("/downloads", "Downloads"),
    ("/api/docs", "API"),
    ("/suggest", "Suggest a correction"),
]


def request_wants_json(request: Request) -> bool:
    return wants_json(request.scope.get("query_string", b""), request.headers.get("accept", ""))


def json_response(data: Any, status: int = 200, cache_control: str = CACHE_CONTROL) -> Response:
    return Response(
        dumps(data),
        status_code=status,
        media_type="application/json",
        headers={"cache-control": cache_control, "vary": "Accept"},
    )


def route_path(request: Request) -> str:
    """The page's own address, built from the route that answered it and its parameters,
    never copied from the raw request path: "" when no route matched (a 404), so a link
    such as ``{{ path }}?format=json`` can never point to another site
    (``GET //evil.example/x`` must not give ``href="//evil.example/x?format=json"``)."""
    route = request.scope.get("route")
    template = getattr(route, "path_format", None)
    if not isinstance(template, str) or not template.startswith("/"):
        return ""
    params = {
        k: quote(str(v), safe="/" if f"{{{k}:path}}" in getattr(route, "path", "") else "")
        for k, v in request.path_params.items()
    }
    try:
        path = template.format(**params)
    except (KeyError, IndexError, ValueError):
        return ""
    return "/" + path.lstrip("/") if path.startswith("//") else path


#: What a dict has as attributes: its methods (``d.items()``, ``query.get('q')``).
_DICT_ATTRS = frozenset(dir(dict))


class _CodeGenerator(CodeGenerator):
    """Jinja2's compiler, escaping each ``{{ value }}`` with :func:`escape_text`.

    Jinja2 escapes every value it writes with :func:`markupsafe.escape` and joins the
    answers into the page: the same characters, built as a Markup only to be joined. A
    page writes a thousand values or more, so that wrapper was a third of its cost. The
    answer is written exactly as before (the tests compare pages with Jinja2's own
    compiler); blocks that switch escaping on or off (``{% autoescape %}``) keep Jinja2's
    code.
    """

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_text(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)


class _Environment(Environment):
    """Jinja2's environment, reading ``row.name`` on a dict as ``row["name"]`` at once.

    Jinja2 tries ``getattr(row, "name")`` first and falls back to ``row["name"]`` when
    that raises: for the plain dicts every view returns, each such look-up raised and
    caught an AttributeError, the largest cost of a page after escaping. A dict has no
    attributes other than its methods, so asking the key first for any other name gives
    exactly Jinja2's answer; the methods' names keep Jinja2's order.
    """

    code_generator_class = _CodeGenerator
    escape_text = staticmethod(escape_text)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRS:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class Renderer:
    """The Jinja2 environment of the site's templates.

    The templates ship inside the package and do not change while the server runs: each
    is compiled once per process and never looked at on disk again (``auto_reload`` off,
    no file stat per page).

    :attr:`pages` keeps rendered pages that a view declares a pure function of what it
    names (:meth:`html`'s ``shared``), bounded by :data:`PAGES_MAX_BYTES`.
    """

    def __init__(self) -> None:
        #: Rendered pages, by template, address, declared options and ``shared``.
        self.pages = Memo(PAGES_MAX_BYTES)
        self.env = _Environment(
            loader=PackageLoader("minilat.web", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.env.filters["label"] = rows.label
        # "countries", as the CLI writes it; with a count, its noun: 'grouping'|plural(n)
        self.env.filters["plural"] = plural_noun
        self.env.filters["pretty"] = lambda v: json.dumps(v, indent=2, ensure_ascii=False)
        self.env.globals["nav"] = NAV
        self.env.globals["grouping_rows"] = rows.grouping_rows
        self.env.globals["href_with"] = href_with
        self.env.globals["members_html"] = rows.members_html
        self.env.globals["fact_citation"] = footnotes.fact_citation
        self.env.globals["id_citation"] = footnotes.id_citation
        self.env.globals["world_map"] = lambda m, element_id=None: Markup(
            maps.svg(m, element_id, legend=False, sprite=True)
        )
        self.env.filters["ordinal"] = findings.ordinal
        self.env.filters["plain"] = wording.plain
        self.env.filters["measure"] = wording.measure_words  # a what-if difference's measure
        self.env.filters["figure"] = wording.figure  # and its values, rounded as elsewhere
        self.env.filters["round1"] = lambda v: "—" if v is None else f"{v:.1f}"
        # indices on a 0-1 scale: 2 decimals, as the CLI prints them (0.95, not 1.0)
        self.env.filters["index"] = lambda v: "—" if v is None else f"{v:.2f}"
        self.env.filters["pct"] = lambda v: "—" if v is None else f"{round(v * 100)}%"
        self.env.tests["mapping"] = lambda v: isinstance(v, dict)
        self.env.tests["sequence_data"] = lambda v: isinstance(v, list | tuple)

    def html(
        self,
        request: Request,
        template: str,
        data: dict[str, Any],
        *,
        status: int = 200,
        cache_control: str = CACHE_CONTROL,
        shared: tuple[Any, ...] | None = None,
        **extra: Any,
    ) -> Response:
        """``template`` rendered with ``data`` as an HTML answer.

        ``shared``: what the page depends on besides its template, its address and the
        query parameters its route declares (a view passes the version of the data it
        read, the day and anything else its answer reads, such as the news store's
        version). The rendered page is then kept in :attr:`pages` under all of these and
        rendered once for every request that names the same: the plain and the gzipped
        answer, HEAD, a request that bypasses the response cache (``Cache-Control:
        no-cache``), an address with parameters the route ignores. Without ``shared``
        (pages that depend on more, or on who asks), it is rendered every time."""
        path, query = route_path(request), _declared_query(request)

        def render() -> str:
            more = extra
            notes = extra.get("notes")
            if isinstance(notes, footnotes.Footnotes):  # this page's numbering cites
                more = {**extra, **notes.template_globals()}
            return self.env.get_template(template).render(d=data, path=path, query=query, **more)

        if shared is None:
            return _html_response(render(), status, cache_control)

        def kept() -> tuple[bytes, str]:
            return _encoded(render())

        body, etag = self.pages.get(_page_key(template, path, query, shared), kept)
        return _html_response(body, status, cache_control, etag)

    def kept_page(
        self, request: Request, template: str, shared: tuple[Any, ...]
    ) -> Response | None:
        """The page :meth:`html` kept for this request and ``shared``, as an answer, or None
        if there is none: a look-up, never a computation, so a page's coroutine asks it on
        the event loop and goes to a worker thread only to compute (handing a request to a
        thread and back costs more CPU than answering it from here)."""
        if request_wants_json(request):
            return None
        key = _page_key(template, route_path(request), _declared_query(request), shared)
        kept = self.pages.peek(key)
        if kept is None:
            return None
        body, etag = kept
        return _html_response(body, 200, CACHE_CONTROL, etag)

    def page(self, request: Request, template: str, data: dict[str, Any], **extra: Any) -> Response:
        """The page as HTML, or its data as JSON if the client asked for JSON (``extra``
        as for :meth:`html`)."""
        if request_wants_json(request):
            return json_response(data)
        return self.html(request, template, data, **extra)

    def error(
        self,
        request: Request,
        status: int,
        message: str,
        hint: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Response:
        """An error in the one shape: JSON for the API and JSON clients, else an HTML page.

        ``extra`` adds keys beside ``error`` (an edit's ``problems``, a conflict's
        ``current`` record)."""
        body = {**error_body(status, message, web_hint(hint)), **(extra or {})}
        path = request.url.path
        if path.startswith(("/api/", "/feeds/", "/downloads/")) or request_wants_json(request):
            return json_response(body, status, cache_control="no-store")
        return self.html(request, "error.html", body, status=status, cache_control="no-store")


def _page_key(
    template: str, path: str, query: dict[str, str], shared: tuple[Any, ...]
) -> tuple[Any, ...]:
    return (template, path, tuple(sorted(query.items())), *shared)


#: The lists a hint sends a reader to, as commands (the library's hints are written for
#: the command line) and as the site's addresses.
_LISTS = {
    "`minilat groupings`": "/groupings",
    "`minilat tables`": "/api/v1/design/tables",
}


def web_hint(hint: str | None) -> str | None:
    """A library error's hint as the site says it: a list it names by its command is named
    by its address (a visitor of /groupings/nosuch was told to run `minilat groupings`).

    >>> web_hint("list them with `minilat groupings`")
    'see the list at /groupings'
    >>> web_hint("pass --table NAME (see `minilat tables`)")
    'pass --table NAME (see /api/v1/design/tables)'
    """
    if not hint:
        return hint
    for command, address in _LISTS.items():
        hint = hint.replace(f"list them with {command}", f"see the list at {address}")
        hint = hint.replace(command, address)
    return hint


def href_with(path: str, query: dict[str, Any], name: str, value: Any) -> str:
    """``path`` with the page's ``query`` where ``name`` is ``value`` and the start of the
    page (``offset``) is dropped: a facet's or a column's link. The query string is
    encoded as Jinja2's ``urlencode`` filter does (the links are the same bytes as when
    the templates built them), at a tenth of the cost of a macro doing it: a listing has
    some twenty such links, and they were half of what rendering it cost.

    >>> href_with("/groupings", {"q": "ai chips", "offset": "50", "sort": "name"}, "sort", "-name")
    '/groupings?q=ai+chips&sort=-name'
    """
    f = dict(query)
    f[name] = value
    f.pop("offset", None)
    return f"{path}?{do_urlencode(f)}"


def _encoded(page: str) -> tuple[bytes, str]:
    """A page as it is kept: its bytes, and their strong ETag, computed once rather than
    on every answer (encoding and hashing a 75 KB page were a fifth of what answering it
    from the memo cost). The tag is the one :mod:`minilat.web.middleware` would compute."""
    body = page.encode("utf-8")
    return body, etag_of(body)


def _html_response(
    body: str | bytes, status: int, cache_control: str, etag: str | None = None
) -> Response:
    headers = {"cache-control": cache_control, "vary": "Accept"}
    if etag is not None:
        headers["etag"] = etag
    return Response(
        body, status_code=status, media_type="text/html; charset=utf-8", headers=headers
    )


def _declared_query(request: Request) -> dict[str, str]:
    """The query parameters the route declares (for links such as the pager's): a page is
    shared by everyone who asks with the same declared parameters, so nothing else a
    visitor adds (``?utm_source=``, ``?cb=``) may appear in it."""
    from minilat.web.middleware import query_names

    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return {}
    known = query_names(dependant)
    return {k: v for k, v in request.query_params.items() if k in known}
