#!/usr/bin/env python3
"""Save-to-reload latency of `practica serve` on a generated community.

Starts `practica serve` on the corpus that ../shared/bench/gen_corpus.py
writes, listens to the live-reload event stream as a browser does, and
times each edit from the moment the file is saved (written and closed) to
the moment the `reload` event arrives. Prints the median of several edits
for three kinds of edit: prose only, a title, and a tag.

    python3 bench/serve_latency.py --docs 10000 --edits 15
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def corpus(docs: int, seed: int) -> Path:
    out = Path(f"/tmp/practica-bench-{docs}-{seed}")
    if not (out / "community.yaml").exists():
        subprocess.run(
            [sys.executable, str(GENERATOR), "--docs", str(docs), "--seed", str(seed), "--out", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return out


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


def timed_edit(events: Events, path: Path, change) -> float:
    text = path.read_text()
    new = change(text)
    assert new != text, f"the edit changed nothing in {path}"
    with open(path, "w") as f:
        f.write(new)
    saved = time.perf_counter()
    name = events.next()
    if name != "reload":
        raise RuntimeError(f"expected a reload, got {name}")
    return (time.perf_counter() - saved) * 1000


def retitle(text: str, i: int) -> str:
    quoted = re.sub(r'^title: "(.*)"$', rf'title: "\1 ({i})"', text, count=1, flags=re.M)
    if quoted != text:
        return quoted
    return re.sub(r"^title: (.*)$", rf"title: \1 ({i})", text, count=1, flags=re.M)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "practica"))
    parser.add_argument("--pause", type=float, default=0.15,
                        help="seconds between edits (default 0.15); after a title or tag edit's reload "
                             "event the server still remakes gaps.json and graph.json (about 0.2 s at "
                             "10,000 documents), so an edit within that time waits for it")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    root = corpus(args.docs, args.seed)
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
        practices = sorted((root / "practices").glob("*.md"))
        kinds = {
            "prose": lambda i: lambda t: t + f"\nOne more sentence, number {i}.\n",
            "title": lambda i: lambda t: retitle(t, i),
            "tag": lambda i: lambda t: re.sub(r"^tags:\n", f"tags:\n  - bench-tag-{i % 3}\n", t, count=1, flags=re.M),
        }
        print(f"practica serve {root} ({args.docs} documents): ready in {ready:.0f} ms")
        print(f"{'edit':<8}{'median ms':>10}{'min':>8}{'max':>8}  (n={args.edits})")
        for kind, make in kinds.items():
            times = []
            for i in range(args.edits):
                path = practices[(i * 7919) % len(practices)]
                times.append(timed_edit(events, path, make(i)))
                time.sleep(args.pause)
            print(f"{kind:<8}{statistics.median(times):>10.1f}{min(times):>8.1f}{max(times):>8.1f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
