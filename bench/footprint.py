"""Footprint: each lesson's peak memory, and the installed size of the Binder environment.

A learner on mybinder.org has 1 to 2 GB of memory for everything they open. For each lesson
this script runs the notebook from the top in a fresh kernel (as *Restart Kernel and Run
All Cells*) and samples, every ``--interval`` seconds, every process the run started: the
kernel (with the moto server, a thread inside it) and each execution environment's worker.
It reports the peak of their summed USS (memory only they use) and PSS (shared pages
divided among their users), both from /proc/<pid>/smaps_rollup (Linux), the number of
processes at that moment, and the same figures for a kernel that only imports lambdalab,
measured in the same run, as the baseline.

Goals (issue 17): every lesson at most 400 MB peak USS, so three lessons fit in Binder's
2 GB beside JupyterLab; the Binder environment at most 450 MB installed.

Usage::

    .venv/bin/python bench/footprint.py                       # every solution notebook
    .venv/bin/python bench/footprint.py --lessons 06 --binder-env build/binder-env
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON_GOAL_MB = 400
BINDER_GOAL_MB = 450
MB = 1024 * 1024


def children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (from /proc/<n>/stat's parent field)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop(0)
        kids = sorted(child for child, p in parents.items() if p == parent)
        found += kids
        frontier += kids
    return found  # breadth first: the kernel (our only child) comes first


def uss_pss(pid: int) -> tuple[int, int]:
    """(USS, PSS) of one process in bytes; (0, 0) once it has ended."""
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                name, _, rest = line.partition(":")
                if name in ("Pss", "Private_Clean", "Private_Dirty", "Private_Hugetlb"):
                    values[name] = int(rest.split()[0]) * 1024
    except (OSError, ValueError):
        return 0, 0
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return uss + values.get("Private_Hugetlb", 0), values.get("Pss", 0)


@dataclass
class Peak:
    uss: int = 0
    pss: int = 0
    processes: int = 0
    most_processes: int = 0
    samples: int = 0
    kernel_uss: int = 0  # of the peak: the kernel's share (the first process started)


class Sampler(threading.Thread):
    """Samples this process's descendants until stopped; keeps the peak sums."""

    def __init__(self, interval: float) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = Peak()
        self._stopped = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._stopped.is_set():
            pids = children_of(me)
            sizes = [uss_pss(pid) for pid in pids]
            uss, pss = sum(s[0] for s in sizes), sum(s[1] for s in sizes)
            live = sum(1 for s in sizes if s[0])
            peak = self.peak
            peak.samples += 1
            peak.most_processes = max(peak.most_processes, live)
            if uss > peak.uss:
                peak.uss, peak.pss, peak.processes = uss, max(pss, peak.pss), live
                peak.kernel_uss = sizes[0][0] if sizes else 0
            peak.pss = max(peak.pss, pss)
            self._stopped.wait(self.interval)

    def stop(self) -> Peak:
        self._stopped.set()
        self.join()
        return self.peak


def run_notebook(path: Path, kernel_name: str, interval: float) -> tuple[Peak, float, str]:
    """Execute ``path`` in a fresh kernel while sampling; (peak, seconds, error or "")."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=kernel_name,
        timeout=600,
        resources={"metadata": {"path": str(path.parent)}},
    )
    sampler = Sampler(interval)
    sampler.start()
    started, error = time.perf_counter(), ""
    try:
        client.execute()
    except Exception as failure:  # report it, keep measuring the other lessons
        error = f"{type(failure).__name__}: {str(failure).strip().splitlines()[-1][:120]}"
    seconds = time.perf_counter() - started
    return sampler.stop(), seconds, error


def installed_size(env: Path) -> tuple[int, int, int]:
    """(on disk, file bytes, of which bytecode) in bytes under a folder.

    On disk counts allocated blocks (as ``du``): many small files round up to 4 KiB each.
    """
    disk = total = bytecode = 0
    for folder, _, files in os.walk(env):
        for name in files:
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            disk += info.st_blocks * 512
            total += info.st_size
            if name.endswith(".pyc"):
                bytecode += info.st_size
    return disk, total, bytecode


def biggest_packages(env: Path, count: int = 8) -> list[tuple[str, int]]:
    sizes = []
    for site in env.glob("lib/python*/site-packages"):
        for entry in site.iterdir():
            if entry.name.endswith(".dist-info") or entry.name == "__pycache__":
                continue
            size = installed_size(entry)[0] if entry.is_dir() else entry.stat().st_size
            sizes.append((entry.name, size))
    return sorted(sizes, key=lambda item: -item[1])[:count]


def verdict(value_mb: float, goal_mb: int) -> str:
    return "met" if value_mb <= goal_mb else f"NOT met (+{value_mb - goal_mb:.0f} MB)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "solutions")
    parser.add_argument("--lessons", nargs="*", default=[], help="e.g. 04 06 (default: all)")
    parser.add_argument("--binder-env", type=Path, help="measure it; run lessons in its kernel")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between samples")
    args = parser.parse_args(argv)
    if not Path("/proc/self/smaps_rollup").exists():
        print("footprint: needs Linux (/proc/<pid>/smaps_rollup).", file=sys.stderr)
        return 2

    kernel = "python3"
    if args.binder_env:
        env = args.binder_env.resolve()
        if (env / "share" / "jupyter" / "kernels" / "lambdalab-binder").is_dir():
            os.environ["JUPYTER_PATH"] = str(env / "share" / "jupyter")
            kernel = "lambdalab-binder"
    scratch = tempfile.mkdtemp(prefix="lambdalab-footprint-")
    os.environ["LAMBDALAB_PROGRESS"] = str(Path(scratch) / "progress.json")
    os.environ.pop("LAMBDALAB_CHECKS", None)

    import nbformat

    baseline_path = Path(scratch) / "baseline.ipynb"
    baseline_nb = nbformat.v4.new_notebook()
    baseline_nb.cells = [nbformat.v4.new_code_cell("import time, lambdalab, boto3\ntime.sleep(1)")]
    nbformat.write(baseline_nb, baseline_path)
    base, _, _ = run_notebook(baseline_path, kernel, args.interval)

    lessons = sorted(
        p
        for p in args.folder.glob("[0-9][0-9]-*.ipynb")
        if not args.lessons or p.name[:2] in args.lessons
    )
    print(f"kernel: {kernel}; sampling every {args.interval} s; USS/PSS from smaps_rollup\n")
    print(
        "| lesson | peak USS | of it the kernel | peak PSS | processes at peak (most) | run time "
        f"| goal {LESSON_GOAL_MB} MB |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| baseline: a kernel importing lambdalab and boto3 | {base.uss / MB:.0f} MB | "
        f"{base.kernel_uss / MB:.0f} MB | {base.pss / MB:.0f} MB | {base.processes} | | |"
    )
    worst = 0.0
    for path in lessons:
        peak, seconds, error = run_notebook(path, kernel, args.interval)
        uss_mb = peak.uss / MB
        worst = max(worst, uss_mb)
        note = f" (stopped: {error})" if error else ""
        print(
            f"| {path.stem}{note} | {uss_mb:.0f} MB ({peak.uss / max(base.uss, 1):.1f}x) | "
            f"{peak.kernel_uss / MB:.0f} MB | {peak.pss / MB:.0f} MB | "
            f"{peak.processes} ({peak.most_processes}) | "
            f"{seconds:.0f} s | {verdict(uss_mb, LESSON_GOAL_MB)} |",
            flush=True,
        )
    if lessons:
        print(f"\nworst lesson: {worst:.0f} MB peak USS: goal {verdict(worst, LESSON_GOAL_MB)}")

    if args.binder_env:
        disk, total, bytecode = installed_size(args.binder_env.resolve())
        disk_mb = disk / MB
        print(
            f"\nBinder environment {args.binder_env}: {disk_mb:.0f} MB on disk "
            f"({total / MB:.0f} MB of file contents, {bytecode / MB:.0f} MB of it bytecode "
            f"pip compiles at install): goal {BINDER_GOAL_MB} MB {verdict(disk_mb, BINDER_GOAL_MB)}"
        )
        print(
            "biggest: "
            + ", ".join(f"{n} {s / MB:.0f} MB" for n, s in biggest_packages(args.binder_env))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
