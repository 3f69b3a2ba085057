"""Benchmark of :mod:`symdyn.sweep`: 2 Dask workers against the serial path, and per-task overhead.

1. **Speed-up**: the same 48-cell ``steady_state`` sweep (``tau`` 8 values x
   ``Delta`` 3 x ``rho`` 2) serially (``workers=0``) and on a 2-worker
   LocalCluster, in the same run.  Both sides are *warm* (the per-process
   cached symbolic system is built first, outside the timed region); the
   build and cluster start-up are reported separately, with the end-to-end
   (cold) ratio.  Goal: warm speed-up >= 1.7 on 2 cores.  The two tables must
   be identical (checked and reported).
2. **Per-task overhead**: 200 trivial cells (``value = 2 x``) through the same
   machinery (shards written, table assembled), serial and on the cluster;
   and the bare Dask round trip (``client.map`` + ``gather``) for comparison.

Reproduce with ``python -m symdyn bench sweep``.  The machine may be shared:
the load average is reported with the figures.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

__all__ = ["run_benchmark", "format_report"]

_GRID = ["tau=0.2:0.9:8", "Delta=0,0.5,1", "rho=-1,1"]
_QUICK_GRID = ["tau=0.2:0.9:4", "Delta=0,0.5,1", "rho=-1"]
_WARM_CELL = {"tau": 0.95, "Delta": 0.25, "rho": 0.0}


def _timed(f, *args, **kwargs):
    t0 = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t0


def run_benchmark(quick: bool = False) -> dict:
    from distributed import Client, LocalCluster

    from ..sweep import parse_grid, run_sweep
    from ..sweep.studies import STUDIES, TRIVIAL, compute_cell

    study = STUDIES["steady_state"]
    grid = parse_grid(study.params, _QUICK_GRID if quick else _GRID)
    warm = {p.name: p.default for p in study.params} | _WARM_CELL
    n_trivial = 50 if quick else 200
    trivial_grid = parse_grid(TRIVIAL.params, {"x": [float(i) for i in range(n_trivial)]})
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _, serial_build = _timed(compute_cell, study, warm, 0)
        serial, serial_s = _timed(run_sweep, study, grid, tmp / "serial", workers=0, progress=False)
        triv_serial, triv_serial_s = _timed(run_sweep, TRIVIAL, trivial_grid, tmp / "ts", workers=0, progress=False)

        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=40)
        client = Client(cluster)
        start_s = time.perf_counter() - t0
        try:
            _, cluster_build = _timed(client.run, compute_cell, study, warm, 0)
            dist, dist_s = _timed(run_sweep, study, grid, tmp / "dist", client=client, progress=False)
            triv_dist, triv_dist_s = _timed(run_sweep, TRIVIAL, trivial_grid, tmp / "td", client=client,
                                            progress=False)
            cells = trivial_grid.cells(TRIVIAL.params)
            t0 = time.perf_counter()
            futs = client.map(compute_cell, [TRIVIAL] * len(cells), cells, [0] * len(cells), pure=False)
            client.gather(futs)
            bare_s = time.perf_counter() - t0
            del futs
        finally:
            client.close()
            cluster.close()
    n = grid.size
    return {
        "cells": n,
        "grid": list(_QUICK_GRID if quick else _GRID),
        "serial_seconds": serial_s,
        "dask2_seconds": dist_s,
        "speedup_warm": serial_s / dist_s,
        "serial_build_seconds": serial_build,
        "cluster_start_seconds": start_s,
        "cluster_build_seconds": cluster_build,
        "speedup_cold": (serial_build + serial_s) / (start_s + cluster_build + dist_s),
        "seconds_per_cell_serial": serial_s / n,
        "tables_identical": serial.comparable() == dist.comparable(),
        # mean compute time of one cell inside the serial process and inside a worker: a ratio well above 1
        # means the workers were slowed by CPU contention (a shared machine), not by Dask's overhead
        "cell_seconds_serial_mean": sum(r["seconds"] for r in serial.rows) / n,
        "cell_seconds_dask2_mean": sum(r["seconds"] for r in dist.rows) / n,
        "levels": sorted({r["level"] for r in serial.rows}),
        "failed_cells": len(serial.failed),
        "trivial_cells": n_trivial,
        "trivial_serial_ms_per_cell": 1e3 * triv_serial_s / n_trivial,
        "trivial_dask2_ms_per_cell": 1e3 * triv_dist_s / n_trivial,
        "overhead_ms_per_task": 1e3 * (triv_dist_s - triv_serial_s) / n_trivial,
        "bare_dask_roundtrip_ms_per_task": 1e3 * bare_s / n_trivial,
        "trivial_tables_identical": triv_serial.comparable() == triv_dist.comparable(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "cpu_count": os.cpu_count(),
        "goal_speedup": 1.7,
    }


def format_report(r: dict) -> str:
    la, lb = r["load_average_before"], r["load_average_after"]
    lines = [
        f"sweep benchmark: {r['cells']}-cell steady_state sweep ({' '.join(r['grid'])}), {r['cpu_count']} CPUs; "
        f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} before, {lb[0]:.2f} {lb[1]:.2f} {lb[2]:.2f} after",
        "",
        f"  serial (warm)              {r['serial_seconds']:8.3f} s   ({1e3 * r['seconds_per_cell_serial']:.1f} ms/cell)",
        f"  2 Dask workers (warm)      {r['dask2_seconds']:8.3f} s",
        f"  speed-up, warm             {r['speedup_warm']:8.2f} x   (goal >= {r['goal_speedup']} on 2 idle cores)",
        f"  cold: build {r['serial_build_seconds']:.2f} s serial; cluster start {r['cluster_start_seconds']:.2f} s "
        f"+ build {r['cluster_build_seconds']:.2f} s -> speed-up {r['speedup_cold']:.2f} x",
        f"  tables identical (bit for bit, seconds excluded): {r['tables_identical']}; failed cells: {r['failed_cells']}; "
        f"levels: {', '.join(r['levels'])}",
        f"  mean compute per cell: {1e3 * r['cell_seconds_serial_mean']:.1f} ms serial, "
        f"{1e3 * r['cell_seconds_dask2_mean']:.1f} ms in a worker (ratio "
        f"{r['cell_seconds_dask2_mean'] / r['cell_seconds_serial_mean']:.2f}; > 1: CPU contention)",
        "",
        f"  per-task overhead ({r['trivial_cells']} trivial cells, shards written):",
        f"    serial                   {r['trivial_serial_ms_per_cell']:8.2f} ms/cell",
        f"    2 Dask workers           {r['trivial_dask2_ms_per_cell']:8.2f} ms/cell",
        f"    Dask overhead            {r['overhead_ms_per_task']:8.2f} ms/task",
        f"    bare client.map+gather   {r['bare_dask_roundtrip_ms_per_task']:8.2f} ms/task",
        f"    trivial tables identical: {r['trivial_tables_identical']}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(format_report(run_benchmark()))
