#!/usr/bin/env python3
"""One 10 MB document of a given shape, for measuring a build's peak memory
and time on huge single pages (the hardening issue, point 18).

    python3 bench/big_document.py SHAPE DIR      # SHAPE: links headings oneline table words
    /usr/bin/time -f "%e s %M KB" practica build DIR -o OUT --no-cache
"""
import os
import sys

SIZE = 10_000_000


def pieces(shape):
    i = 0
    while True:
        i += 1
        if shape == "links":
            yield f"[link {i}](https://example.org/{i}) "
        elif shape == "headings":
            yield f"## Heading number {i}\n\ntext\n\n"
        elif shape == "oneline":
            yield f"word{i} "
        elif shape == "table":
            yield {1: "| a | b | c |\n", 2: "|---|---|---|\n"}.get(i, f"| a{i} | b{i} | c{i} |\n")
        elif shape == "words":
            yield f"word{i} " + ("\n\n" if i % 100 == 0 else "")
        else:
            raise SystemExit(f"unknown shape {shape}: links, headings, oneline, table or words")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    shape, folder = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(folder, "practices"), exist_ok=True)
    with open(os.path.join(folder, "community.yaml"), "w", encoding="utf-8") as f:
        f.write("title: Big\n")
    body, size = [], 0
    for piece in pieces(shape):
        body.append(piece)
        size += len(piece)
        if size >= SIZE:
            break
    with open(os.path.join(folder, "practices", "big.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: Big\n---\n" + "".join(body) + "\n")


if __name__ == "__main__":
    main()
