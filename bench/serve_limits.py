#!/usr/bin/env python3
"""Memory and threads of `practica serve` under hostile clients (Linux).

Starts `practica serve` on the corpus that ../shared/bench/gen_corpus.py
writes, twice, and each time does one thing to it:

- sends one request whose header grows to 400 MB, until the server
  closes the connection or all is sent, then closes it;
- opens 3,000 connections that send nothing, times a normal request made
  while they are open, then closes them.

For each it prints the server's resident memory (RSS) and threads before,
at their peak (sampled from /proc every 5 ms) and once the client has gone.

    python3 bench/serve_limits.py --docs 10000
    python3 bench/serve_limits.py --docs 10000 --binary /path/to/older/practica
"""

import argparse
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

from corpora import GENERATOR, REPO, generated
MB = 1024 * 1024


def status(pid: int) -> dict:
    """VmRSS (bytes) and Threads of a process."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "VmRSS":
            fields["rss"] = int(value.split()[0]) * 1024
        elif key == "Threads":
            fields["threads"] = int(value)
    return fields


class Peak:
    """The highest RSS and thread count of a process while it runs."""

    def __init__(self, pid: int):
        self.pid = pid
        self.rss = 0
        self.threads = 0
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            now = status(self.pid)
            self.rss = max(self.rss, now["rss"])
            self.threads = max(self.threads, now["threads"])
            time.sleep(0.005)

    def stop(self) -> "Peak":
        self.running = False
        self.thread.join()
        return self


def get(host: str, port: int, path: str = "/") -> int:
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


def huge_header(host: str, port: int, size: int) -> int:
    """Sends a header growing to `size` bytes; returns how much went in."""
    sock = socket.create_connection((host, port), timeout=60)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
    chunk = b"a" * MB
    sent = 0
    try:
        while sent < size:
            sent += sock.send(chunk)
    except OSError:
        pass
    sock.close()
    return sent


def half_open(host: str, port: int, count: int) -> tuple[list, float]:
    """Opens `count` silent connections; returns them and the time a
    normal request took while they were open."""
    held = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect((host, port))
        held.append(sock)
    started = time.perf_counter()
    code = get(host, port)
    took = (time.perf_counter() - started) * 1000
    if code != 200:
        raise RuntimeError(f"a normal request got {code}")
    return held, took


def settle(pid: int) -> int:
    time.sleep(1.0)
    return status(pid)["rss"]


class Serve:
    """`practica serve` on `root`, stopped when the block ends."""

    def __init__(self, binary: str, root: Path):
        self.process = subprocess.Popen(
            [binary, "serve", str(root), "--port", "0", "--no-cache"],
            stderr=subprocess.PIPE,
            text=True,
        )
        self.pid = self.process.pid

    def __enter__(self) -> "Serve":
        url = None
        for line in self.process.stderr:
            url = re.search(r"http://([\d.]+):(\d+)/", line)
            if url:
                break
        if url is None:
            raise RuntimeError("serve printed no address")
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        self.host, self.port = url.group(1), int(url.group(2))
        assert get(self.host, self.port) == 200
        return self

    def __exit__(self, *_):
        self.process.terminate()
        self.process.wait()


def measure(label: str, server: Serve, attack) -> None:
    """Prints the server's memory and threads before, during and after `attack`."""
    start = status(server.pid)
    peak = Peak(server.pid)
    note = attack(server)
    after = settle(server.pid)
    peak.stop()
    print(f"{label:<30}{start['rss'] / MB:>7.0f} MB{peak.rss / MB:>7.0f} MB{after / MB:>7.0f} MB"
          f"{start['threads']:>9}{peak.threads:>7}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--header-mb", type=int, default=400)
    parser.add_argument("--connections", type=int, default=3000)
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "practica"))
    parser.add_argument("--generator", default=str(GENERATOR))
    args = parser.parse_args()

    root = generated(args.docs, args.seed, Path(args.generator))

    def header(server: Serve) -> str:
        sent = huge_header(server.host, server.port, args.header_mb * MB)
        return f"{sent / MB:.2f} MB went in"

    def connections(server: Serve) -> str:
        held, took = half_open(server.host, server.port, args.connections)
        time.sleep(1.0)
        for sock in held:
            sock.close()
        return f"a normal request meanwhile: {took:.0f} ms"

    print(f"practica serve {root} ({args.docs} documents), {args.binary}")
    print(f"{'':<30}{'RSS':>10}{'peak':>10}{'after':>10}{'threads':>9}{'peak':>7}")
    with Serve(args.binary, root) as server:
        measure(f"{args.header_mb} MB header", server, header)
    with Serve(args.binary, root) as server:
        measure(f"{args.connections:,} silent connections", server, connections)


if __name__ == "__main__":
    main()
