#!/usr/bin/env python3
"""What reading git history for /insights/ costs `practica build`.

Copies a generated community (../shared/bench/gen_corpus.py, 1,000
documents by default), gives it a git history of 2,000 commits over two
years with `git fast-import` (documents added one a commit, then edited,
practices' statuses moved, by 40 authors), then times `practica build`
with insights from the history and with `--no-history`, in turns, and
prints the medians and their ratio (issue 19 asks for at most 2x).

    python3 bench/history.py --docs 1000 --commits 2000 --runs 7

The parse cache is on, as for a user: one build before the timed ones
fills it (the working tree's and the past versions'); `--cold` times
without it.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from corpora import REPO, generated
START = 1_704_067_200  # 2024-01-01 00:00 UTC
TWO_YEARS = 730 * 86_400
STATUSES = ["proposed", "emerging", "established", "retired"]


def documents(root: Path) -> list[str]:
    found = []
    for section in ["members", "practices", "guides", "case-studies"]:
        for path in sorted((root / section).rglob("*.md")):
            found.append(str(path.relative_to(root)))
    return found


def blob(data: bytes) -> bytes:
    return b"data %d\n" % len(data) + data + b"\n"


def edited(path: str, text: str, commit: int, rng: random.Random) -> str:
    """A practice is given a status, or its status moves one step; any
    document gains a line."""
    if path.startswith("practices/") and "\nstatus: " not in text:
        return text.replace("\ntitle: ", "\nstatus: proposed\ntitle: ", 1)
    if "\nstatus: " in text and rng.random() < 0.3:
        for i, status in enumerate(STATUSES[:-1]):
            if f"\nstatus: {status}\n" in text:
                return text.replace(f"\nstatus: {status}\n", f"\nstatus: {STATUSES[i + 1]}\n", 1)
    return text + f"\nRevised in change {commit}.\n"


def history_stream(root: Path, commits: int, seed: int) -> bytes:
    """A fast-import stream: documents added one a commit, in the first
    half, then edits of documents already there."""
    rng = random.Random(seed)
    files = documents(root)
    texts = {path: (root / path).read_text(encoding="utf-8") for path in files}
    authors = [(f"Author {i}", f"author{i}@example.org") for i in range(40)]
    adding = min(len(files), commits // 2)
    per_commit = -(-len(files) // max(adding, 1))
    added: list[str] = []
    out = bytearray()
    for n in range(commits):
        name, email = rng.choice(authors)
        stamp = START + TWO_YEARS * n // commits
        ident = f"{name} <{email}> {stamp} +0000".encode()
        changes = bytearray()
        if n == 0:
            config = (root / "community.yaml").read_bytes()
            changes += b"M 100644 inline community.yaml\n" + blob(config)
        if len(added) < len(files):
            for path in files[len(added) : len(added) + per_commit]:
                added.append(path)
                changes += f"M 100644 inline {path}\n".encode() + blob(texts[path].encode())
        else:
            path = rng.choice(added)
            texts[path] = edited(path, texts[path], n, rng)
            changes += f"M 100644 inline {path}\n".encode() + blob(texts[path].encode())
        message = f"change {n}".encode()
        out += b"commit refs/heads/main\n"
        out += b"author " + ident + b"\ncommitter " + ident + b"\n"
        out += blob(message)
        out += changes + b"\n"
    return bytes(out)


def make_repository(source: Path, dest: Path, commits: int, seed: int) -> None:
    shutil.copytree(source, dest)
    stream = history_stream(dest, commits, seed)
    git = ["git", "-C", str(dest), "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["fast-import", "--quiet"], input=stream, check=True)
    # The working tree becomes the last commit's.
    subprocess.run(git + ["checkout", "-q", "-f", "main"], check=True)
    subprocess.run(git + ["reset", "-q", "--hard"], check=True)


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "practica"))
    parser.add_argument("--cold", action="store_true", help="no parse cache")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="practica-history-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    try:
        community = work / "community"
        started = time.perf_counter()
        make_repository(generated(args.docs, args.seed), community, args.commits, args.seed)
        print(f"history: {args.commits} commits made in {time.perf_counter() - started:.1f} s")
        env = dict(os.environ, PRACTICA_CACHE_DIR="" if args.cold else str(work / "cache"))
        base = [args.binary, "build", str(community), "-o", str(work / "out"), "--quiet"]
        variants = {"with insights": base, "--no-history": base + ["--no-history"]}
        for command in variants.values():
            timed(command, env)  # warm the page cache and the parse caches
        times = {name: [] for name in variants}
        for _ in range(args.runs):
            for name, command in variants.items():
                times[name].append(timed(command, env))
        for name, values in times.items():
            print(
                f"{name:>14}: median {statistics.median(values):.3f} s "
                f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} runs)"
            )
        ratio = statistics.median(times["with insights"]) / statistics.median(times["--no-history"])
        print(f"ratio: {ratio:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
