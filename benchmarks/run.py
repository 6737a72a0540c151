"""TaperDesk's benchmark suite: one table, every figure against a same-run baseline.

    python -m benchmarks.run            (from the repository root)

Each figure is a median over several runs; each has a baseline measured in
the same run on the same machine, so ratios can be compared across machines.
The latest table is kept in BENCHMARKS.md.

Start-up and the diary edit are timed on a private Xvfb (``Xvfb`` must be
installed) from the X server's damage reports; they need python-xlib, a
benchmark-only dependency (``pip install python-xlib``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # allow `python benchmarks/run.py` too
    sys.path.insert(0, str(ROOT))

from benchmarks.common import Result, format_table  # noqa: E402

#: (module, function) pairs, each returning list[Result].
SUITE: tuple[tuple[str, str], ...] = (
    ("benchmarks.startup", "results"),
    ("benchmarks.bench_gui_save", "measure"),
    ("benchmarks.bench_schedule", "measure"),
    ("benchmarks.bench_diary", "measure"),
    ("benchmarks.bench_sheets", "results"),
    ("benchmarks.bench_compounding", "measure"),
    ("benchmarks.bench_memory", "measure"),
)


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{memory}, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Run TaperDesk's benchmarks and print one table.")
    parser.add_argument("--only", help="run only benchmarks whose module name contains this")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[Result] = []
    for module_name, function_name in SUITE:
        if args.only and args.only not in module_name:
            continue
        module = importlib.import_module(module_name)
        print(f"running {module_name} ...", file=sys.stderr, flush=True)
        results += getattr(module, function_name)()
    print(f"Machine: {machine_line()}")
    print()
    print(format_table(results))
    missed = [r.name for r in results if not r.goal_met]
    print()
    print("All goals met." if not missed else "Goals missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
