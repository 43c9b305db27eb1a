"""Runs the commands README.md opens with, as a newcomer would: in a fresh
clone of HEAD, with an empty cargo target folder, and with the browser
suite's tools (chromium, Java, jing, xmllint, LinkChecker) hidden from PATH,
so a passing run shows they pass on a machine with only the Rust toolchain.

`serve` runs until stopped, so it is started in the background, asked for
its home page, and stopped.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HIDDEN = {"chromium", "chromium-browser", "java", "jing", "xmllint", "linkchecker"}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_commands(readme):
    """The lines of README's first ```sh block, without their comments."""
    text = open(readme, encoding="utf-8").read()
    start = text.index("```sh\n") + len("```sh\n")
    block = text[start : text.index("```", start)]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def path_without_checkers(into):
    """A folder of links to every program on PATH but the hidden ones."""
    os.makedirs(into)
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            target = os.path.join(folder, name)
            link = os.path.join(into, name)
            if name in HIDDEN or os.path.lexists(link) or not os.access(target, os.X_OK):
                continue
            os.symlink(target, link)
    return into


def serve_answers(command, env, cwd):
    server = subprocess.Popen(command, shell=True, env=env, cwd=cwd, start_new_session=True)
    try:
        deadline = time.time() + 900  # the first `cargo run --release` compiles
        while time.time() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"`{command}` stopped with {server.returncode}")
            try:
                with urllib.request.urlopen("http://127.0.0.1:1111/", timeout=2) as page:
                    body = page.read().decode()
                    assert "<html" in body, "serve's home page is not HTML"
                    print(f"`{command}` serves the home page ({len(body)} bytes)")
                    return
            except OSError:
                time.sleep(1)
        raise SystemExit(f"`{command}` never answered on port 1111")
    finally:
        os.killpg(server.pid, 15)
        server.wait()


def main():
    work = tempfile.mkdtemp(prefix="practica-readme-")
    try:
        clone = os.path.join(work, "practica")
        subprocess.run(["git", "clone", "-q", "--no-local", REPO, clone], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("CARGO_TARGET_DIR", "CHROMIUM")}
        env["PATH"] = path_without_checkers(os.path.join(work, "bin"))
        for program in sorted(HIDDEN):
            assert shutil.which(program, path=env["PATH"]) is None, program
        for command in readme_commands(os.path.join(clone, "README.md")):
            started = time.time()
            print(f"$ {command}", flush=True)
            if " serve" in command:
                serve_answers(command, env, clone)
            else:
                subprocess.run(command, shell=True, env=env, cwd=clone, check=True)
            print(f"  ({time.time() - started:.0f} s)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
