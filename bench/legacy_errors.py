#!/usr/bin/env python3
"""A generated community with a given number of errors in its documents,
shaped like legacy content (links to pages that are gone, anchors that
moved, unknown authors), for measuring how fast `check` reports them (the
real-content issue, point 11: 3,500 documents, 600 errors, well under a
second with the cache).

    python3 bench/legacy_errors.py --docs 3500 --errors 600 --out DIR
    practica check DIR -q; /usr/bin/time -f "%e s %M KB" practica check DIR
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

GEN = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "gen_corpus.py"

# One error each, in the three shapes legacy content has most.
SHAPES = [
    "\nSee [the old page](no-such-page-{n}.md).\n",
    "\nSee [that section](#moved-away-{n}).\n",
    "\nAnd [[gone-for-good-{n}]].\n",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=3500)
    parser.add_argument("--errors", type=int, default=600)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--gen", type=Path, default=GEN,
                        help=f"the corpus generator (default {GEN})")
    args = parser.parse_args()
    subprocess.run([sys.executable, str(args.gen), "--docs", str(args.docs),
                    "--out", str(args.out)], check=True, stdout=subprocess.DEVNULL)
    documents = sorted(p for p in args.out.rglob("*.md")
                       if p.parts[-2] in ("practices", "guides", "case-studies"))
    if len(documents) < args.errors:
        raise SystemExit(f"only {len(documents)} documents to put {args.errors} errors in")
    step = len(documents) / args.errors
    for n in range(args.errors):
        path = documents[int(n * step)]
        with open(path, "a", encoding="utf-8") as f:
            f.write(SHAPES[n % len(SHAPES)].format(n=n))
    print(f"{args.out}: {args.docs} documents, {args.errors} errors")


if __name__ == "__main__":
    main()
