"""Statement HTML to PDF with WeasyPrint: safely, and on every core.

Safety: each document is laid out with the `AssetFetcher` (nothing but the template assets can
be loaded), and before the PDF is written its metadata is replaced by a fixed title and its
bookmarks dropped, whatever the template put in <title>, <meta> or headings: a statement's PDF
properties never name the patient. No creation date is written, so the same statement renders
to the same bytes every time. That includes the fonts: where HarfBuzz's subsetter is missing,
WeasyPrint subsets with fontTools, which stamps each font subset with the time of day unless
SOURCE_DATE_EPOCH fixes it (`_FIXED_FONT_TIME`, set for the length of the render only).

Speed: a `PdfRenderer` holds what is costly to make and the same for every statement (the font
configuration, the parsed stylesheet, the fetcher with its assets in memory, the image cache)
and is made once per worker process. `render_all` spreads the documents over one worker per
core (spawned, so no worker inherits the ledger's connection or the practice lock) and reports
each finished document to a progress callback; a small batch is rendered in-process, where
starting workers would cost more than it saves, by a renderer kept for the next batch.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import path2url

from medsheets.invoices import templates
from medsheets.invoices.fetcher import AssetFetcher

PDF_TITLE = "Patient statement"
# Applied after the template's own stylesheet: no heading becomes a PDF bookmark.
SAFETY_CSS = "* { bookmark-level: none !important; }"
IN_PROCESS_BELOW = 24  # statements; fewer than this are not worth starting workers for
CHUNK_SIZE = 4
_FIXED_FONT_TIME = "946684800"  # 2000-01-01: the font subsets' timestamp, the same in every PDF

Job = tuple[str, str]  # (key, statement HTML)


class PdfRenderer:
    """One process's WeasyPrint set-up, reused for every statement it renders (or, given
    another template and title, every document of another kind: the Good Faith Estimate)."""

    def __init__(self, folders: Sequence[Path], observer: Callable[[str], None] | None = None,
                 *, html_name: str = templates.STATEMENT_HTML,
                 css_name: str = templates.STATEMENT_CSS, title: str = PDF_TITLE):
        """`html_name` and `css_name` are the template and stylesheet in `folders` (the
        statement's by default; the paper claim form passes its own), `title` the fixed PDF
        title every document gets."""
        self.fetcher = AssetFetcher(folders, observer)
        self.font_config = FontConfiguration()
        self.title = title
        html_path = templates.find(folders, html_name)
        css_path = templates.find(folders, css_name)
        self.base_url = path2url(str(html_path.parent.resolve()))
        self.stylesheets = [
            CSS(string=css_path.read_text(encoding="utf-8"),
                base_url=path2url(str(css_path.parent.resolve())),
                url_fetcher=self.fetcher, font_config=self.font_config),
            CSS(string=SAFETY_CSS, url_fetcher=self.fetcher, font_config=self.font_config),
        ]
        self.image_cache: dict[str, object] = {}

    def pdf(self, html: str) -> bytes:
        """The PDF of one document's HTML."""
        document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            font_config=self.font_config, stylesheets=self.stylesheets, cache=self.image_cache,
        )
        document.metadata = DocumentMetadata(title=self.title)
        for page in document.pages:
            page.bookmarks = []
        with _fixed_font_timestamps():
            data = document.write_pdf()
        assert isinstance(data, bytes)
        return data


@contextlib.contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """fontTools reads SOURCE_DATE_EPOCH for the timestamp it writes into each font subset."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = before or _FIXED_FONT_TIME
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]


@functools.lru_cache(maxsize=4)
def _renderer(folders: tuple[Path, ...],
              signature: tuple[tuple[str, int, int], ...]) -> PdfRenderer:
    return PdfRenderer(folders)


def renderer_for(folders: Sequence[Path]) -> PdfRenderer:
    """This process's renderer for `folders`, made again only when a template file changes."""
    signature = tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders if folder.is_dir() for path in sorted(folder.iterdir())
    )
    return _renderer(tuple(folders), signature)


_worker: PdfRenderer | None = None


def _start_worker(folders: Sequence[Path]) -> None:
    global _worker
    _worker = PdfRenderer(folders)


def _render_job(job: Job) -> tuple[str, bytes]:
    assert _worker is not None, "worker not initialised"
    key, html = job
    return key, _worker.pdf(html)


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def render_all(
    jobs: Sequence[Job],
    folders: Sequence[Path],
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(key, PDF) for every job, in order; `progress(1)` after each document."""
    if not jobs:
        return
    count = min(workers or default_workers(), len(jobs))
    if count <= 1 or (workers is None and len(jobs) < IN_PROCESS_BELOW):
        renderer = renderer_for(folders)
        for key, html in jobs:
            yield key, renderer.pdf(html)
            if progress:
                progress(1)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker,
                             initargs=(tuple(folders),)) as pool:
        for key, data in pool.map(_render_job, jobs, chunksize=CHUNK_SIZE):
            yield key, data
            if progress:
                progress(1)
