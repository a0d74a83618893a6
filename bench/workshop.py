"""Workshop: N learners on one machine, each running lessons 02 and 05 at once.

For each N (1, 5 and 10 by default) this script starts a real JupyterHub
(tests/hub/hubkit.py: configurable-http-proxy, DummyAuthenticator, one local
single-user server per learner), creates N learners through the Hub's REST API, and in
every learner's server runs lessons 02 and 05 side by side in two kernels, all learners
at the same time, with every exercise check required to pass. It reports:

- wall time of the whole workshop round, and its ratio to one learner alone (N = 1,
  measured in the same run: the baseline);
- peak memory per learner: the highest summed PSS of the learner's single-user server,
  its kernels, their moto servers and Lambda workers (sampled every ``--interval`` s,
  /proc/<pid>/smaps_rollup), the mean and the largest over the learners; and the
  machine's peak use (MemTotal - MemAvailable, above what it used before the round).

The machine's cores are printed with the figures: the wall-time ratios say how a class
shares them. Timing is noisy on a shared machine; the script says how busy the machine
was (load average) before each round.

Usage::

    .venv/bin/python bench/workshop.py                 # N = 1, 5, 10
    .venv/bin/python bench/workshop.py --learners 1 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hub"))
sys.path.insert(0, str(ROOT / "bench"))
import hubkit  # noqa: E402
from footprint import children_of, uss_pss  # noqa: E402

LESSONS = ["solutions/02-triggers.ipynb", "solutions/05-pricing.ipynb"]
MB = 1024 * 1024


def mem_used() -> int:
    fields = {}
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) * 1024
    return fields["MemTotal"] - fields["MemAvailable"]


@contextlib.contextmanager
def _no_leftovers(hub: hubkit.Hub):
    """After the hub stops: end (and name) any process of this round still running.

    Seen once: a round interrupted while kernels were starting left one kernel behind.
    """
    try:
        yield
    finally:
        hub.stop()
        for line in hubkit.leftover_processes(hub.run_id):
            print(f"left behind by the hub, ended now: {line}", flush=True)
            with contextlib.suppress(OSError):
                os.kill(int(line.split(":")[0]), signal.SIGKILL)


def round_of(learners: int, interval: float) -> dict:
    """One workshop round with ``learners`` learners; its figures."""
    names = [f"w{n:02d}x" for n in range(1, learners + 1)]
    with tempfile.TemporaryDirectory(prefix="lambdalab-workshop-") as folder:
        with hubkit.Hub(Path(folder)) as hub, _no_leftovers(hub):
            hub.add_learners(names)
            pids = {name: hub.server_pid(name) for name in names}
            peaks = dict.fromkeys(names, 0)
            before = mem_used()
            machine_peak = before
            done = threading.Event()

            def sample() -> None:
                nonlocal machine_peak
                while not done.is_set():
                    for name, pid in pids.items():
                        total = sum(uss_pss(p)[1] for p in [pid, *children_of(pid)])
                        peaks[name] = max(peaks[name], total)
                    machine_peak = max(machine_peak, mem_used())
                    time.sleep(interval)

            sampler = threading.Thread(target=sample, daemon=True)
            load = os.getloadavg()[0]
            started = time.perf_counter()
            sampler.start()
            jobs = [(name, lesson) for name in names for lesson in LESSONS]
            try:
                with ThreadPoolExecutor(len(jobs)) as pool:
                    for future in [pool.submit(hub.run_notebook, *job) for job in jobs]:
                        future.result()
            except Exception:
                kept = ROOT / "build" / "bench" / f"workshop-hub-{learners}.log"
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_text((Path(folder) / "jupyterhub.log").read_text(errors="replace"))
                print(f"round of {learners} failed; the hub's log: {kept}", flush=True)
                raise
            wall = time.perf_counter() - started
            done.set()
            sampler.join()
            hub.stop_learners(names)
    per_learner = sorted(peaks.values())
    return {
        "learners": learners,
        "wall_s": wall,
        "load_before": load,
        "peak_pss_mean_mb": sum(per_learner) / len(per_learner) / MB,
        "peak_pss_max_mb": per_learner[-1] / MB,
        "machine_extra_mb": (machine_peak - before) / MB,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    counts = sorted(set([1, *args.learners]))  # one learner alone is the baseline
    print(f"machine: {os.cpu_count()} cores, {mem_used() / MB:.0f} MB in use before the run")
    print("learners  wall s  vs alone  load before  peak PSS/learner mean  max  machine extra")
    rounds = []
    for count in counts:  # each line as soon as it is measured
        r = round_of(count, args.interval)
        rounds.append(r)
        print(
            f"{r['learners']:8d}  {r['wall_s']:6.1f}  {r['wall_s'] / rounds[0]['wall_s']:7.2f}x"
            f"  {r['load_before']:11.1f}  {r['peak_pss_mean_mb']:19.0f} MB"
            f"  {r['peak_pss_max_mb']:4.0f}  {r['machine_extra_mb']:8.0f} MB",
            flush=True,
        )
        if args.json:
            args.json.write_text(json.dumps({"cores": os.cpu_count(), "rounds": rounds}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
