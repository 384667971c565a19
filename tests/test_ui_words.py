"""What a township official reads on a page is Chinese: no library or package names, no English words, no
Python values. Checked on the visible text (tags, scripts and attributes left out)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

# Latin words a Chinese page may show: file formats, the API's own terms, abbreviations officials use.
ALLOWED = {"PDF", "Word", "Excel", "API", "QR", "CSV", "JPEG", "PNG", "EXIF", "GBK", "UTF", "ID"}
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def latin_words(html: str, *, ignore: set[str] = frozenset()) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    return {w for w in WORD.findall(text) if w not in ALLOWED and w not in ignore}


@pytest.mark.parametrize("url", ["/calendar/", "/calendar/?year=2026&start=2026-09-30&days=5&kind=working"])
@pytest.mark.parametrize("role", ["office", "secretary"])
def test_calendar_page_names_no_library(world, login, role, url):
    user = getattr(world, role)
    html = login(user).get(url).content.decode()
    assert latin_words(html, ignore={user.username}) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/vote/"])
def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, url):
    """Without a <link rel="icon">, every browser asks /favicon.ico, which is a 404 in every console."""
    html = client.get(url).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert icon, "no icon declared"
    href = icon.group(1)
    assert href.startswith("data:") or client.get(href).status_code == 200
