"""Check the built website's internal links: every file and every #anchor they point to exists.

Sphinx's `linkcheck` builder needs the network, so `make site` runs this instead, offline: it
reads every HTML page under the site folder and follows each relative `href` and `src` (links,
images, scripts, style sheets) to a file of the site, and each `#anchor` to an `id` (or a
`name`) in the page it points to. Links to other sites are not followed.

    python scripts/check_site.py [build/site]

Exits 1 and lists each broken link (page, link, why) when there is one.
"""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {"href", "src"}


class _Page(HTMLParser):
    """The links and the anchors of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and not (tag == "meta" or tag in ("input", "select")):
                self.anchors.add(value)
            elif name in LINK_ATTRIBUTES and tag != "base":
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def site_pages(site: Path) -> list[Path]:
    """The site's HTML pages: not the theme's templates in `_static/`, nor `_sources/`."""
    return [
        path
        for path in sorted(site.rglob("*.html"))
        if path.relative_to(site).parts[0] not in ("_static", "_sources")
    ]


def broken_links(site: Path) -> list[tuple[str, str, str]]:
    """`(page, link, why)` for each internal link of `site` whose file or anchor is missing."""
    site = site.resolve()
    pages: dict[Path, _Page] = {path: _parse(path) for path in site_pages(site)}
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue  # another site, or not a file
            target = path
            if parts.path:
                target = (path.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
            where = str(path.relative_to(site))
            if not target.is_relative_to(site):
                broken.append((where, link, "points outside the site"))
            elif not target.is_file():
                broken.append((where, link, "no such file"))
            elif parts.fragment and target.suffix == ".html":
                anchors = pages[target].anchors if target in pages else _parse(target).anchors
                if unquote(parts.fragment) not in anchors:
                    broken.append((where, link, f"no #{parts.fragment} in {target.name}"))
    return broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("build/site"))
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}/index.html does not exist: build the site first (make site)")
        return 1
    broken = broken_links(args.site)
    for page, link, why in broken:
        print(f"{page}: {link}: {why}")
    pages = len(site_pages(args.site.resolve()))
    print(f"{len(broken)} broken internal links in {pages} pages of {args.site}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
