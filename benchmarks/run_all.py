"""Run every benchmark part in one process and write `benchmarks/RESULTS.md`.

    python -m benchmarks.run_all                  # everything (~20 min on 2 CPU cores)
    python -m benchmarks.run_all --skip-lessons   # without the notebook runs
    python -m benchmarks.run_all --tiny --output /tmp/RESULTS.md   # smoke run

Every figure is a ratio of two measurements taken in this same run, so results from
different machines can be compared. Parts: 1 throughput, 2 overhead, 3 time to a real likelihood,
4 lessons, 5 likelihood table (binarised MNIST). Parts 1 and 3 also run on the backends named by
`--backends` (default: JAX), each in a child process (`benchmarks.other_backends`).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import time
from pathlib import Path

import keras

from benchmarks import (
    lessons,
    other_backends,
    overhead,
    quality,
    throughput,
    time_to_likelihood,
)
from benchmarks.common import BACKEND_NAMES, load_data, machine_info, markdown_table

LOADED_THRESHOLD = 0.5  # 1-minute load average above which timings are flagged
CURVES_IMAGE = "time_to_likelihood.png"  # part 3's curves, written beside the report


def _headline(results: dict) -> str:
    """The summary table: one row per goal (per backend for parts 1 and 3), with the ratio."""
    rows = []
    for part in results.get("throughput", []):
        dense, one_per_call = part["rows"][:2]
        rows.append([f"1. dense VAE train FLOP/s ÷ matmul FLOP/s, batch 128, "
                     f"{dense['batches_per_call']} batches per call "
                     f"({BACKEND_NAMES[part['backend']]})", "≥ 0.35",
                     f"{dense['ratio']:.2f} (1 per call: {one_per_call['ratio']:.2f})"])
    if "overhead" in results:
        rows.append(["2. vaekit VAE ÷ hand-written VAE, examples/s", "≥ 0.95",
                     f"{results['overhead']['ratio']:.2f}"])
    for part in results.get("time_to_likelihood", []):
        r = part["recipes"]["lesson 5"]
        value = f"{r['ratio']:.2f}" if r["reached"] else (
            f"not reached in {r['curve'][-1]['seconds']:.0f} s")
        rows.append([f"3. lesson 5's time to a strong plain Keras VAE's −log p(x) after "
                     f"30 s, ÷ 30 s ({BACKEND_NAMES[part['backend']]})", "≤ 0.5", value])
    if "lessons" in results:
        r = results["lessons"]
        rows.append([f"4. slowest lesson, full mode, seconds ÷ {lessons.LESSON_GOAL_SECONDS} s",
                     "≤ 1", f"{r['slowest_full_seconds'] / lessons.LESSON_GOAL_SECONDS:.2f}"])
        rows.append([f"4. lessons 1–4, full mode, seconds ÷ {lessons.SOURCE_POST_GOAL_SECONDS} s",
                     "≤ 1",
                     f"{r['source_post_seconds'] / lessons.SOURCE_POST_GOAL_SECONDS:.2f}"])
        rows.append(["4. largest notebook peak RSS ÷ 1.5 GB", "≤ 1",
                     f"{r['max_peak_rss_mb'] / lessons.PEAK_GOAL_MB:.2f}"])
    return markdown_table(["figure", "goal", "measured"], rows)


def _version(backend: str) -> str:
    """The installed version of a Keras backend's package ("?" if none is found)."""
    names = ("tensorflow", "tensorflow-cpu") if backend == "tensorflow" else (backend,)
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "?"


def write_results(path: Path, results: dict, info: dict, data, seconds: float,
                  sections: list[str], note: str | None) -> None:
    """Write the markdown report: header, machine, headline table, then each part."""
    load = info["load_average"]
    header = [
        "# Benchmark results",
        "",
        f"Written by `python -m benchmarks.run_all` on "
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC in "
        f"{seconds / 60:.1f} min. Every figure is a ratio of measurements from this run.",
        "",
        f"- Machine: {info['cores']} CPU cores, {info['cpu']}, no GPU",
        f"- Python {info['python']}, TensorFlow {info['tensorflow']}, Keras {info['keras']} "
        f"({info['backend']} backend), NumPy {info['numpy']}",
        f"- Data: {data.description}",
    ]
    others = [part["backend"] for part in results.get("throughput", [])[1:]]
    if others:
        versions = ", ".join(f"{BACKEND_NAMES[name]} {_version(name)}" for name in others)
        header.append(f"- Parts 1 and 3 also on {versions}, each in a process of its own "
                      "(its own matmul ceiling and its own baseline)")
    if load is not None:
        values = ", ".join(f"{v:.2f}" for v in load)
        header.append(f"- Load average at start (1/5/15 min): {values}")
        if load[0] > LOADED_THRESHOLD:
            header.append("- **The machine was busy with other work at the start of this run: "
                          "absolute timings are pessimistic and ratios noisier than usual.**")
    if hasattr(os, "getloadavg"):
        values = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        header.append(f"- Load average at the end (1/5/15 min, this run included): {values}")
    if note:
        header.append(f"- Note: {note}")
    body = "\n\n".join(["\n".join(header), "## Headline", _headline(results), *sections])
    path.write_text(body.rstrip() + "\n")


def main(argv: list[str] | None = None) -> dict:
    """Run the parts, print each section as it finishes, write the report; return results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--skip-lessons", action="store_true",
                        help="do not run the lesson notebooks (part 4)")
    parser.add_argument("--notebooks", nargs="*", type=Path,
                        help="notebooks for part 4 (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--backends", default="jax",
                        help="comma-separated other Keras backends for parts 1 and 3, each in "
                        "a child process (default: jax; '' for none)")
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument("--note", help="a line to add to the report's header")
    args = parser.parse_args(argv)
    backends = [name for name in args.backends.split(",") if name]
    for name in backends:
        if name not in BACKEND_NAMES or name == keras.config.backend():
            parser.error(f"--backends: each must be another of {', '.join(BACKEND_NAMES)}. "
                         f"Received: {name!r}")

    start = time.perf_counter()
    info = machine_info()
    keras.utils.set_random_seed(0)
    data = load_data(tiny=args.tiny)
    results, sections = {}, {}
    parts = [("throughput", throughput), ("overhead", overhead),
             ("time_to_likelihood", time_to_likelihood), ("quality", quality)]
    for name, module in parts:
        part_start = time.perf_counter()
        results[name] = module.run(data, tiny=args.tiny)
        sections[name] = [module.report(results[name])]
        print(sections[name][0], f"[{name}: {time.perf_counter() - part_start:.0f} s]\n",
              flush=True)
    for name in other_backends.PARTS:  # parts 1 and 3: one result per backend
        results[name] = [results[name]]
    for backend in backends:
        part_start = time.perf_counter()
        for name, result in other_backends.run(backend, tiny=args.tiny).items():
            results[name].append(result)
            sections[name].append(dict(parts)[name].report(result))
            print(sections[name][-1], flush=True)
        print(f"[{backend}: {time.perf_counter() - part_start:.0f} s]\n", flush=True)
    notebooks = args.notebooks if args.notebooks is not None else lessons.lesson_notebooks()
    if args.skip_lessons or not notebooks:
        sections["lessons"] = ["## 4. Lessons\n\nNot run in this report (`--skip-lessons` or "
                               "no notebooks found).\n"]
    else:
        results["lessons"] = lessons.run(notebooks)
        sections["lessons"] = [lessons.report(results["lessons"])]
        print(sections["lessons"][0], flush=True)
    curves = args.output.with_name(CURVES_IMAGE)
    time_to_likelihood.figure(results["time_to_likelihood"], curves)
    sections["time_to_likelihood"].append(
        f"![−log p(x) against seconds of training: the baseline and lesson 5]({curves.name})\n")
    ordered = [section for name in ("throughput", "overhead", "time_to_likelihood", "lessons",
                                    "quality") for section in sections[name]]
    seconds = time.perf_counter() - start
    write_results(args.output, results, info, data, seconds, ordered, args.note)
    print(f"Wrote {args.output} ({seconds / 60:.1f} min).")
    return results


if __name__ == "__main__":
    main()
