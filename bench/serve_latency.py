#!/usr/bin/env python3
"""Save-to-reload latency of `practica serve` on a generated community.

Starts `practica serve` on the corpus that ../shared/bench/gen_corpus.py
writes, listens to the live-reload event stream as a browser does, and
times each edit from the moment the file is saved (written and closed) to
the moment the `reload` event arrives. Prints the median and the 90th
percentile of several edits for three kinds of edit: prose only, a title,
and a tag.

    python3 bench/serve_latency.py --docs 10000 --edits 20
    python3 bench/serve_latency.py --corpus /dev/shm/practica-bench/corpus-10000-seed42 \
        --binary /tmp/practica-before --no-build

The edits go to a fresh copy of the community (in /dev/shm when there is
one), never to the corpus itself.

The community is put in git first (one commit), as communities are: a
document without `updated:` is then dated by its last commit, and a prose
edit changes only its body. With --no-git it stays outside git, where such
a document is dated by its file's modification time, so the first save of
the day also moves it in every newest-first list: an edit of its date.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path

from corpora import REPO, copy_of, generated


class Events:
    """The server's event stream, read the way a browser's EventSource does."""

    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(b"GET /__practica/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.buffer = b""

    def next(self, timeout: float = 60.0) -> str:
        self.sock.settimeout(timeout)
        while True:
            match = re.search(rb"event: (\w+)\n(?:data:[^\n]*\n)*\n", self.buffer)
            if match:
                self.buffer = self.buffer[match.end():]
                return match.group(1).decode()
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("the event stream closed")
            self.buffer += chunk


def cpu_ms(pid: int) -> float:
    """The CPU time all of the server's threads have had, in ms (Linux's
    schedstat, in ns): unlike the wall time, it hardly grows when other
    programs keep the machine busy."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended meanwhile
    return total / 1e6


def settle(pid: int, quiet_ms: float = 5.0, limit_s: float = 60.0) -> None:
    """Waits until the server is idle: after the first build it still
    writes the parse cache and frees what it no longer needs, work that
    would otherwise be timed with the first edits."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        before = cpu_ms(pid)
        time.sleep(0.5)
        if cpu_ms(pid) - before < quiet_ms:
            return


def timed_edit(events: Events, path: Path, change, pid: int) -> tuple[float, float]:
    """Wall ms from save to the reload event, and the server's CPU ms meanwhile."""
    text = path.read_text()
    new = change(text)
    assert new != text, f"the edit changed nothing in {path}"
    cpu = cpu_ms(pid)
    with open(path, "w") as f:
        f.write(new)
    saved = time.perf_counter()
    name = events.next()
    wall = (time.perf_counter() - saved) * 1000
    if name != "reload":
        raise RuntimeError(f"expected a reload, got {name}")
    return wall, cpu_ms(pid) - cpu


def commit_all(root: Path) -> None:
    """Makes `root` a git repository with its files in one commit."""
    if (root / ".git").exists():
        return
    # No garbage collection or maintenance left running in the background
    # while the first edits are timed.
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org",
           "-c", "gc.auto=0", "-c", "maintenance.auto=false"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "corpus"], check=True)


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def retitle(text: str, i: int) -> str:
    quoted = re.sub(r'^title: "(.*)"$', rf'title: "\1 ({i})"', text, count=1, flags=re.M)
    if quoted != text:
        return quoted
    return re.sub(r"^title: (.*)$", rf"title: \1 ({i})", text, count=1, flags=re.M)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="a community to copy and edit, instead of generating one")
    parser.add_argument("--no-build", action="store_true",
                        help="use --binary as it is, without `cargo build --release`")
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "practica"))
    parser.add_argument("--no-git", action="store_true",
                        help="leave the community outside git (see above)")
    parser.add_argument("--pause", type=float, default=0.15,
                        help="seconds between edits (default 0.15); after a title or tag edit's reload "
                             "event the server still remakes gaps.json and graph.json (about 0.2 s at "
                             "10,000 documents), so an edit within that time waits for it")
    args = parser.parse_args()

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    # The edits, and the commit, go to a copy: never to a shared corpus.
    scratch, root = copy_of(args.corpus or generated(args.docs, args.seed), "serve-latency-")
    args.docs = sum(1 for _ in root.glob("*/*.md"))
    if not args.no_git:
        commit_all(root)
    started = time.perf_counter()
    server = subprocess.Popen(
        [args.binary, "serve", str(root), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        for line in server.stderr:
            found = re.search(r"http://([\d.]+):(\d+)/", line)
            if found:
                url = found
                break
        if url is None:
            raise RuntimeError("serve printed no address")
        ready = (time.perf_counter() - started) * 1000
        host, port = url.group(1), int(url.group(2))
        events = Events(host, port)
        assert events.next() == "ok"
        settle(server.pid)
        practices = sorted((root / "practices").glob("*.md"))
        kinds = {
            "prose": lambda i: lambda t: t + f"\nOne more sentence, number {i}.\n",
            "title": lambda i: lambda t: retitle(t, i),
            "tag": lambda i: lambda t: re.sub(r"^tags:\n", f"tags:\n  - bench-tag-{i % 3}\n", t, count=1, flags=re.M),
        }
        where = "outside git" if args.no_git else "in git"
        print(f"practica serve {root} ({args.docs} documents, {where}): ready in {ready:.0f} ms")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'edit':<8}{'median ms':>10}{'p90':>8}{'min':>8}{'max':>8}{'cpu median':>12}{'cpu p90':>9}  (n={args.edits})")
        for kind, make in kinds.items():
            times, cpus = [], []
            for i in range(args.edits):
                path = practices[(i * 7919) % len(practices)]
                wall, cpu = timed_edit(events, path, make(i), server.pid)
                times.append(wall)
                cpus.append(cpu)
                time.sleep(args.pause)
            print(f"{kind:<8}{statistics.median(times):>10.1f}{p90(times):>8.1f}{min(times):>8.1f}"
                  f"{max(times):>8.1f}{statistics.median(cpus):>12.1f}{p90(cpus):>9.1f}")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
