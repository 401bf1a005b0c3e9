"""Where the X12 samples written by others live: `shared/samples` beside the checkout (the
repository's parent folder holds `shared/`), or the folder `$MEDSHEETS_SHARED_SAMPLES` names.

Tests that read them call `samples_or_skip(...)`, which skips with one clear reason on a machine
that has no copy, instead of failing on a path that exists on one machine only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("MEDSHEETS_SHARED_SAMPLES")
               or REPOSITORY.parent / "shared" / "samples")


def samples_or_skip(*parts: str) -> Path:
    """The samples folder (or a file or folder inside it); skip the test where it is absent."""
    path = SAMPLES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared X12 samples not found at {path} "
                    "(put shared/ beside the checkout or set MEDSHEETS_SHARED_SAMPLES)")
    return path


needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(),
    reason=f"shared X12 samples not found at {SAMPLES} "
           "(put shared/ beside the checkout or set MEDSHEETS_SHARED_SAMPLES)")
