"""Regenerate the committed example practice: `python -m medsheets.example.build [DIR]`.

The example in the repository (examples/practice/) is generated, never edited by hand: change
the data in this package, run this, and commit the result. Its dates are fixed
(COMMITTED_DAYS) so that the committed workbooks only change when the data does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from medsheets.example.folder import refresh_example

DEFAULT_TARGET = Path("examples/practice")


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        sys.stderr.write("usage: python -m medsheets.example.build [DIR]\n")
        return 2
    target = Path(argv[0]) if argv else DEFAULT_TARGET
    made = refresh_example(target)
    sys.stdout.write("".join(f"wrote {target}/{entry}\n" for entry in made))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
