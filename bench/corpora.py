"""The generated communities the benchmark scripts share.

`generated(docs, seed)` gives the folder of a community that
../shared/bench/gen_corpus.py wrote: peers.py's copy in
/dev/shm/practica-bench when there is one, else one made once under /tmp.
Both are shared between runs and scripts: read them, or copy them first
(`copy_of`) to change anything.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def generated(docs: int, seed: int, generator: Path = GENERATOR) -> Path:
    shared = Path(f"/dev/shm/practica-bench/corpus-{docs}-seed{seed}")
    if (shared / "community.yaml").exists():
        return shared
    out = Path(f"/tmp/practica-bench-{docs}-{seed}")
    if not (out / "community.yaml").exists():
        subprocess.run(
            [sys.executable, str(generator), "--docs", str(docs), "--seed", str(seed), "--out", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return out


def copy_of(community: Path, prefix: str) -> tuple[Path, Path]:
    """A fresh copy of `community` without its output or git folder, in
    /dev/shm when there is one: (the scratch folder to remove, the copy)."""
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=shm if shm.is_dir() else None))
    root = scratch / "community"
    shutil.copytree(community, root, ignore=shutil.ignore_patterns("public", ".git"))
    return scratch, root
