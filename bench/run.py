"""``make bench``: every benchmark, printed and written to bench/results/<timestamp>.md."""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import foundation

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    started = time.perf_counter()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    header = (f"# synthreview bench {stamp}\n\nmachine: {platform.platform()}, "
              f"{os.cpu_count()} CPU cores, Python {platform.python_version()}\n")
    sections = [header]
    print("Foundation: load, schema, fit + sample of each generator on Adult", file=sys.stderr)
    sections.append("## Foundation (Adult, 32,561 rows; generators fit on the 26,048 training "
                    "rows and sample as many)\n\n" + foundation.table(foundation.run()))
    sections.append(f"\ntotal bench time: {time.perf_counter() - started:.0f} s\n")
    text = "\n\n".join(sections)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{stamp}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
