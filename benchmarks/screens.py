"""How often a whole-file screen could prove DD317 silent on a JSON corpus, and what it costs.

    python benchmarks/screens.py benchmarks/.corpus/100000/json

DD317 (a control or invisible formatting character outside anchor text) can be silent for a
whole JSON file only if no string in it can hold such a character: no byte of 0x7F or above (DEL,
or any non-ASCII character: C1 controls, U+200B, U+202E, U+2028 ...), and no escape other than
``\\"``, ``\\\\`` and ``\\/`` (``\\n``, ``\\t`` and ``\\u....`` make control characters). Raw
control bytes cannot be inside a JSON string (both readers refuse them), so they are white space
between tokens. Such a screen cannot tell an escape in anchor text (allowed) from one in a summary
(refused), so a file whose anchors quote a line break is never screened out. This prints, per
collection, how many files the screen would let skip the rule, and the screen's CPU time.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

#: Whatever could make a character DD317 refuses, in JSON text.
SCREEN = re.compile(rb'[\x7f-\xff]|\\[^"\\/]')


def main() -> None:
    folder = Path(sys.argv[1])
    files: dict[str, int] = {}
    silent: dict[str, int] = {}
    seconds, size = 0.0, 0
    for path in sorted(folder.rglob("*.json")):
        raw = path.read_bytes()
        size += len(raw)
        started = time.process_time()
        hit = SCREEN.search(raw) is not None
        seconds += time.process_time() - started
        collection = path.parent.name if path.parent != folder else path.stem
        files[collection] = files.get(collection, 0) + 1
        silent[collection] = silent.get(collection, 0) + (not hit)
    for collection in sorted(files):
        print(f"{collection}: {silent[collection]} of {files[collection]} files screened out")
    print(f"screen: {seconds:.3f} s of CPU over {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
