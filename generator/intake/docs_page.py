"""A docs page given where the spec was expected: find its "Download OpenAPI description" link.

``update-spec https://docs.norce.io/api-reference/nco/openapi/order`` gets the rendered Redocly
page, not the description. The refusal stays (an HTML page is never a spec), but it can say where
the description is. The link is only printed, never followed: the user decides what to download.

Parsed with the standard library's ``html.parser``; the caller bounds the bytes, and the parser
stops collecting after ``MAX_LINKS`` anchors.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

MAX_HTML_BYTES = 4 * 1024 * 1024  # a rendered reference page embeds its spec; larger is not a page
MAX_LINKS = 5_000
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_DOWNLOAD_TEXT = "download openapi"


class _Links(HTMLParser):
    """Collects (href, link text) of ``<a>`` elements, up to ``MAX_LINKS``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and len(self.links) < MAX_LINKS:
            self.flush()  # an <a> left open
            self._href = next((v for k, v in attrs if k == "href" and v), None)

    def handle_data(self, data: str) -> None:
        if self._href is not None and sum(map(len, self._text)) < 200:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.flush()

    def flush(self) -> None:
        if self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
        self._href, self._text = None, []


def spec_link(html: bytes, page_url: str | None) -> str | None:
    """The page's OpenAPI download link, absolute, or None.

    A link whose text says "Download OpenAPI description" wins; otherwise the first ``href`` to a
    ``.yaml``, ``.yml`` or ``.json`` file. Relative links are resolved against ``page_url``; without
    one (a local file) only absolute http(s) links are returned.
    """
    parser = _Links()
    try:
        parser.feed(html[:MAX_HTML_BYTES].decode("utf-8", errors="replace"))
        parser.close()
    except AssertionError:  # html.parser's own guard on malformed markup: use what was found
        pass
    parser.flush()
    by_text = [href for href, text in parser.links if _DOWNLOAD_TEXT in text.casefold()]
    by_suffix = [
        href for href, _ in parser.links if urlsplit(href).path.casefold().endswith(_SPEC_SUFFIXES)
    ]
    for href in (*by_text, *by_suffix):
        absolute = urljoin(page_url, href.strip()) if page_url else href.strip()
        # Printed to a terminal: no control characters, no spaces, a sane length.
        printable = absolute.isprintable() and " " not in absolute and len(absolute) < 2048
        if printable and urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return None
