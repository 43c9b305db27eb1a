#!/usr/bin/env python3
"""Page weights of a built site against issue 21's budgets.

    practica build /dev/shm/practica-bench/corpus-10000-seed42 -o /tmp/site -q
    python3 bench/page_weight.py /tmp/site

Budgets: no HTML page over 300 KB; the home page and /gaps/ under 150 KB;
no file a page fetches (its scripts, styles, and what they load: the
search index, a section's list for the filters) over 2 MB. Data files for
other programs (graph.json, gaps.json, feeds, zips) are reported apart:
no page fetches them. Prints the heaviest pages of each kind and every
file over its budget; exits 1 if there is one.
"""

import argparse
import sys
from collections import defaultdict
from pathlib import Path

KB = 1000
PAGE = 300 * KB
LIGHT = 150 * KB
FETCHED = 2000 * KB
# Files no page loads: for feed readers, search engines and other programs.
NOT_FETCHED = {"graph.json", "gaps.json", "feed.xml", "sitemap.xml", "robots.txt"}


def kind_of(path: str) -> str:
    parts = path.split("/")
    if path == "index.html":
        return "home"
    if "/page/" in path:
        return f"{parts[0]} (page N)"
    if len(parts) == 2:
        return f"{parts[0]}/ index"
    return f"{parts[0]}/*"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--top", type=int, default=1, help="heaviest pages shown per kind (default 1)")
    args = parser.parse_args()
    over = []
    heaviest = defaultdict(list)
    others = []
    for file in sorted(args.site.rglob("*")):
        if not file.is_file():
            continue
        path = file.relative_to(args.site).as_posix()
        size = file.stat().st_size
        if path.endswith(".html"):
            heaviest[kind_of(path)].append((size, path))
            budget = LIGHT if path in ("index.html", "gaps/index.html") else PAGE
            if size > budget:
                over.append((path, size, budget))
        elif path in NOT_FETCHED or path.endswith(".zip"):
            others.append((size, path))
        elif size > FETCHED:
            over.append((path, size, FETCHED))
    print(f"{'kind':<28}{'pages':>7}{'heaviest':>12}  path")
    for kind in sorted(heaviest, key=lambda k: -max(heaviest[k])[0]):
        pages = sorted(heaviest[kind], reverse=True)
        for size, path in pages[: args.top]:
            print(f"{kind:<28}{len(pages):>7}{size / KB:>9.1f} KB  {path}")
    scripts = sorted(((f.stat().st_size, f.relative_to(args.site).as_posix())
                      for f in args.site.rglob("*.js") if "search/" not in f.relative_to(args.site).as_posix()),
                     reverse=True)
    for size, path in scripts[:3]:
        print(f"{'script':<28}{'':>7}{size / KB:>9.1f} KB  {path}")
    for size, path in sorted(others, reverse=True)[:3]:
        print(f"{'data file (no page fetches)':<28}{'':>7}{size / KB:>9.1f} KB  {path}")
    if over:
        print(f"\n{len(over)} over budget:")
        for path, size, budget in sorted(over, key=lambda o: -o[1]):
            print(f"  {path}: {size / KB:.1f} KB > {budget / KB:.0f} KB")
        return 1
    print("\nevery page and fetched file within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
