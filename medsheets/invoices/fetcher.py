"""The only way a statement PDF may load anything: a URL fetcher that serves the template assets.

WeasyPrint, left to itself, fetches whatever the HTML names (`<img src="file:///etc/passwd">`,
`<link rel="attachment" href=...>` even embeds the file in the PDF) and opens network URLs.
Patient text is escaped before it reaches the HTML, but the renderer must not depend on that
alone: this fetcher reads the asset files of the template folders in use (the packaged one and
the practice's own) into memory once, and answers every other URL, any scheme, any path, with
a refusal. A path that leaves a folder by `..` or a link is not an asset.

An observer callable, if given, is told every URL asked for (the security tests use it as a
spy).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

ASSET_SUFFIXES = frozenset({".css", ".png", ".jpg", ".jpeg", ".svg", ".gif", ".woff", ".woff2",
                            ".ttf", ".otf"})
MAX_ASSET_BYTES = 2_000_000


class RefusedURL(ValueError):
    """A URL that is not one of the template assets; WeasyPrint skips the resource."""


def asset_files(folders: Iterable[Path]) -> dict[str, Path]:
    """The servable files directly in `folders`, by their file:// URL (links leaving the
    folder, other kinds of file and anything over MAX_ASSET_BYTES are left out)."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        root = folder.resolve()
        for path in sorted(root.iterdir()):
            real = path.resolve()
            if (real.parent == root and real.is_file() and path.suffix.lower() in ASSET_SUFFIXES
                    and real.stat().st_size <= MAX_ASSET_BYTES):
                found[_normal(path2url(str(real)))] = real
    return found


def _normal(url: str) -> str:
    """A file URL reduced to scheme and decoded path, without query or fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{unquote(parts.path)}"


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serves the template assets from memory; refuses every other URL."""

    def __init__(self, folders: Iterable[Path],
                 observer: Callable[[str], None] | None = None) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self._assets = {url: (path.read_bytes(), _mime_type(path))
                        for url, path in asset_files(folders).items()}
        self._observer = observer

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(self._assets)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if self._observer is not None:
            self._observer(url)
        try:
            key = _normal(url)
        except ValueError:
            raise RefusedURL("not a template asset") from None
        asset = self._assets.get(key)
        if asset is None:
            raise RefusedURL("not a template asset")
        body, mime_type = asset
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def _mime_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"
