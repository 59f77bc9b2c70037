"""The officers' user guide, as pages of the back office (/admin/handbook/): how the department, the promotion
centre, communes, site management boards, translators and businesses do their work on the platform (add a
place, translate, import, run a contest, file a report…). Printed, a page is a handout for the training
classes.

The pages are Markdown files shipped with the code, `handbook/<lang>/<NN-slug>.md`: `NN` orders them, `slug` is
their address (/admin/handbook/<slug>/), the same in every language. Vietnamese is the source; every page also
exists in English. A page starts with a small front matter:

    ---
    title: Adding and editing a place
    summary: One line saying what the page teaches.
    audience: department, commune, site_board
    ---

`audience` takes the keys of AUDIENCES, separated by commas. The body is CommonMark (with tables), rendered by
markdown-it-py with raw HTML off: HTML written in a page is shown as text, never run.

Links to the back office's screens name the screen, never its address, so they do not go stale when an
address changes: `[Add a place](admin:catalog_place_add)`, `[Translation desk](translations:desk)` — any URL
name of the project, `namespace:name`, with an optional `?query` and `#fragment` kept as written. A link to
another page of the guide is `[Photos](page:places#photos)`. A URL name that does not resolve is shown as plain
text (and reported by the tests), never as a broken link or an error.

The pages are read and parsed once per process (`library()`, cached): they change only with the code. Each
request renders its page in the request's language, falling back to English, then Vietnamese, with a note
that the page is not yet translated.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from markdown_it import MarkdownIt
from markdown_it.token import Token

from xuthanh.core.text import slugify_vi

logger = logging.getLogger(__name__)

PAGES_DIR = Path(__file__).resolve().parent / "handbook"
SOURCE_LANGUAGE = "vi"
FALLBACKS = ("en", "vi")  # after the request's own language

# Whom a page is for: the units and roles of orgs.models, by their own names (labels the catalogues have).
AUDIENCES: dict[str, Any] = {
    "department": gettext_lazy("Department of Culture, Sports and Tourism"),
    "promotion": gettext_lazy("Investment, Trade and Tourism Promotion Centre"),
    "commune": gettext_lazy("Commune / ward people's committee"),
    "site_board": gettext_lazy("Site management board"),
    "translator": gettext_lazy("Translator"),
    "statistician": gettext_lazy("Statistician"),
    "business": gettext_lazy("Tourism business"),
}

_FILE_NAME = re.compile(r"^(?P<order>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
# `namespace:name`, then what the address keeps as written: `?query`, `#fragment`
_URL_NAME = re.compile(r"^(?P<name>[a-z][a-z0-9_-]*:[A-Za-z0-9_][A-Za-z0-9_-]*)(?P<rest>[?#][^\s]*)?$")
_PAGE_LINK = re.compile(r"^page:(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?P<fragment>#[A-Za-z0-9_-]+)?$")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    return md


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class Page:
    """One page in one language, parsed: its front matter, its Markdown tokens and its headings."""

    slug: str
    order: int
    language: str
    title: str
    summary: str
    audience: tuple[str, ...]
    tokens: tuple[Token, ...] = field(repr=False, compare=False)
    headings: tuple[Heading, ...] = ()

    @property
    def audience_labels(self) -> list[str]:
        return [str(AUDIENCES[key]) for key in self.audience]

    def links(self) -> list[str]:
        """Every link target written in the page, in order."""
        return [
            child.attrGet("href") or ""
            for token in self.tokens
            if token.type == "inline"
            for child in token.children or ()
            if child.type == "link_open"
        ]

    def html(self) -> SafeString:
        """The body as HTML for the current language's addresses (URL names resolved now)."""
        md = _parser()
        env: dict[str, Any] = {"link_stack": []}
        return mark_safe(md.renderer.render(list(self.tokens), md.options, env))  # noqa: S308 - markdown-it's own escaped HTML


@dataclass(frozen=True)
class Library:
    """Every page, by language and slug, and what could not be read (the tests require none)."""

    pages: dict[str, dict[str, Page]]
    order: tuple[str, ...]  # the slugs, in the order of their number
    problems: tuple[str, ...] = ()

    def get(self, slug: str, language: str | None) -> Page | None:
        """The page in `language`, else in English, else in Vietnamese; None when it does not exist."""
        for code in (language or settings.LANGUAGE_CODE, *FALLBACKS):
            found = self.pages.get(code, {}).get(slug)
            if found is not None:
                return found
        return None


@functools.cache
def _parser() -> MarkdownIt:
    return _markdown()


class PageError(ValueError):
    """A page file that cannot be used; the message names the file and the reason."""


def split_front_matter(text: str, where: str = "") -> tuple[dict[str, str], str]:
    """The `key: value` lines between the opening and closing `---`, and the Markdown after them."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise PageError(f"{where}: the page must start with a front matter between two “---” lines")
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return meta, "".join(lines[number:])
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise PageError(f"{where}, line {number}: “key: value” expected")
        meta[key.strip()] = value.strip()
    raise PageError(f"{where}: the front matter is not closed by “---”")


def _headings(tokens: list[Token]) -> tuple[Heading, ...]:
    """The level-2 and level-3 headings, each given a unique `id` (set on its token) for the table of contents."""
    found: list[Heading] = []
    taken: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3"):
            continue
        inline = tokens[index + 1]
        text = "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
        base = slugify_vi(text) or "section"
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        token.attrSet("id", anchor)
        found.append(Heading(int(token.tag[1]), anchor, text))
    return tuple(found)


def parse_page(text: str, *, slug: str, order: int, language: str, where: str = "") -> Page:
    """A page from its file's text; PageError names what is wrong."""
    meta, body = split_front_matter(text, where or slug)
    title, summary = meta.get("title", ""), meta.get("summary", "")
    if not title or not summary:
        raise PageError(f"{where or slug}: the front matter needs a title and a summary")
    audience = tuple(key.strip() for key in meta.get("audience", "").split(",") if key.strip())
    unknown = [key for key in audience if key not in AUDIENCES]
    if not audience or unknown:
        raise PageError(f"{where or slug}: audience must be among {', '.join(AUDIENCES)}, not {meta.get('audience')!r}")
    tokens = _parser().parse(body, {})
    return Page(slug=slug, order=order, language=language, title=title, summary=summary, audience=audience,
                tokens=tuple(tokens), headings=_headings(tokens))


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.md")):
            yield folder.name, path


def load(root: Path = PAGES_DIR) -> Library:
    """Read and parse every page under `root`. A file that cannot be used is left out and named in `problems`
    (and logged): one bad page never takes the others, or the back office, down."""
    pages: dict[str, dict[str, Page]] = {}
    problems: list[str] = []
    orders: dict[str, int] = {}
    for language, path in _files(root):
        where = f"{language}/{path.name}"
        matched = _FILE_NAME.match(path.name)
        if matched is None:
            problems.append(f"{where}: the name must be NN-slug.md (two digits, a hyphen, lower-case words)")
            continue
        slug, order = matched["slug"], int(matched["order"])
        try:
            page = parse_page(path.read_text(encoding="utf-8"), slug=slug, order=order, language=language,
                              where=where)
        except (OSError, UnicodeDecodeError, PageError) as exc:
            problems.append(str(exc))
            continue
        pages.setdefault(language, {})[slug] = page
        if language == SOURCE_LANGUAGE or slug not in orders:
            orders[slug] = order
    for problem in problems:
        logger.warning("user guide: %s", problem)
    ordered = tuple(sorted(orders, key=lambda slug: (orders[slug], slug)))
    return Library(pages=pages, order=ordered, problems=tuple(problems))


@functools.cache
def library() -> Library:
    """Every page, read once per process (they are files shipped with the code)."""
    return load()


# ---- links ---------------------------------------------------------------------------------------------------


def resolve_link(href: str) -> str | None:
    """The address of a link written in a page: a URL name or a guide page resolved; any other target as
    written; None for a URL name or a page that does not exist."""
    page_link = _PAGE_LINK.match(href)
    if page_link is not None:
        if page_link["slug"] not in library().order:
            return None
        return reverse("handbook:page", args=[page_link["slug"]]) + (page_link["fragment"] or "")
    named = _URL_NAME.match(href)
    if named is None or href.startswith(("http:", "https:", "mailto:", "tel:")):
        return href
    try:
        return reverse(named["name"]) + (named["rest"] or "")
    except NoReverseMatch:
        return None


def _render_link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    href = token.attrGet("href") or ""
    url = resolve_link(href)
    env["link_stack"].append(url is not None)
    if url is None:
        logger.warning("user guide: the link target %r does not exist", href)
        return f'<span class="handbook-missing" title="{escape(href)}">'
    shown = copy(token)  # the cached token stays as parsed
    shown.attrs = {**token.attrs, "href": url}
    return self.renderToken([shown], 0, options, env)


def _render_link_close(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    stack = env["link_stack"]
    resolved = stack.pop() if stack else True
    return self.renderToken(tokens, idx, options, env) if resolved else "</span>"


# ---- views -----------------------------------------------------------------------------------------------------


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


@dataclass(frozen=True)
class Entry:
    """A page as listed and linked: shown in the reader's language, or in its fallback."""

    page: Page
    translated: bool

    @property
    def url(self) -> str:
        return reverse("handbook:page", args=[self.page.slug])


def entries(language: str | None = None) -> list[Entry]:
    """Every page of the guide, in order, each in `language` or its fallback."""
    language = language or _language()
    found = library()
    listed = []
    for slug in found.order:
        page = found.get(slug, language)
        if page is not None:
            listed.append(Entry(page, translated=page.language == language))
    return listed


@never_cache
@staff_member_required
def index(request: HttpRequest) -> HttpResponse:
    """The guide's pages in order, with what each teaches and whom it is for, and the pages per audience."""
    listed = entries()
    groups = [(str(label), [e for e in listed if key in e.page.audience]) for key, label in AUDIENCES.items()]
    context = {
        **admin.site.each_context(request),
        "title": _("User guide"),
        "entries": listed,
        "groups": [(label, items) for label, items in groups if items],
    }
    return TemplateResponse(request, "training/admin/handbook_index.html", context)


@never_cache
@staff_member_required
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """One page of the guide, with its table of contents and the previous and next pages."""
    language = _language()
    listed = entries(language)
    position = next((i for i, e in enumerate(listed) if e.page.slug == slug), None)
    if position is None:
        raise Http404
    current = listed[position]
    note = ""
    if not current.translated:
        note = _("Not yet translated into %(language)s: shown in %(shown)s.") % {
            "language": _language_name(language), "shown": _language_name(current.page.language)}
    context = {
        **admin.site.each_context(request),
        "title": current.page.title,
        "entry": current,
        "body": current.page.html(),
        "headings": current.page.headings,
        "untranslated": note,
        "previous": listed[position - 1] if position > 0 else None,
        "next": listed[position + 1] if position + 1 < len(listed) else None,
        "position": position + 1,
        "count": len(listed),
    }
    return TemplateResponse(request, "training/admin/handbook_page.html", context)
