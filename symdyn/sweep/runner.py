"""Run a study over a grid: one task per cell on a ``dask.distributed`` client, or serially.

The driver (this process) owns the output directory: it submits the missing
cells, writes each finished cell's shard as soon as its result arrives, and
assembles ``table.csv`` at the end, so workers need no shared file system.
Re-running the same call resumes: cells whose shard exists are read, not
recomputed.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import store
from .grid import Grid, cell_id, cell_seed, parse_grid
from .studies import Study, compute_cell, get_study

__all__ = ["run_sweep", "SweepResult", "make_client"]

_MAX_WORKERS = 256
_CONNECT_TIMEOUT = "10s"


@dataclass
class SweepResult:
    """Outcome of :func:`run_sweep`.

    Attributes
    ----------
    study : Study
    grid : Grid
    rows : list of dict
        One row per cell, in grid order (every cell finished so far).
    computed, reused : list of str
        Cell ids computed in this call / read from existing shards.
    lost : dict
        ``{cell id: message}`` of cells whose task was lost (worker died,
        cancelled); they have no row and are retried by the next run.
    pending : int
        Cells not attempted (``max_cells``).
    output : Path
    dashboard : str or None
    """

    study: Study
    grid: Grid
    rows: list
    computed: list = field(default_factory=list)
    reused: list = field(default_factory=list)
    lost: dict = field(default_factory=dict)
    pending: int = 0
    output: Path | None = None
    dashboard: str | None = None

    @property
    def columns(self) -> list:
        return [c for c, _ in self.study.columns]

    @property
    def failed(self) -> list:
        return [r for r in self.rows if r["status"] != "ok"]

    def comparable(self) -> list:
        """Rows without ``seconds`` and with floats as hex text: equal iff bit-for-bit equal."""
        kinds = dict(self.study.columns)
        out = []
        for r in self.rows:
            out.append(tuple((c, v.hex() if kinds[c] == "float" and v is not None else v)
                             for c, v in r.items() if c != "seconds"))
        return out

    def to_pandas(self):
        """The rows as a ``pandas.DataFrame`` (needs the ``frames`` extra: ``pip install -e ".[frames]"``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError('to_pandas needs pandas: pip install -e ".[frames]" (or pip install pandas)') from None

        return pd.DataFrame(self.rows, columns=self.columns)


def make_client(workers: int | None = None, scheduler: str | None = None):
    """``(client, owned)``: a client on ``scheduler`` or on a new LocalCluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        if not isinstance(scheduler, str) or not scheduler.strip():
            raise ValueError("scheduler must be an address such as tcp://host:8786")
        try:
            return Client(scheduler, timeout=_CONNECT_TIMEOUT), True
        except (OSError, TimeoutError) as exc:
            raise ValueError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=40)
    return Client(cluster), True


def _dashboard(client) -> str | None:
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:  # noqa: BLE001 - the link is a convenience
        return None
    if "dashboard" not in services:
        return None
    import importlib.util

    note = "" if importlib.util.find_spec("bokeh") else " (the page needs bokeh installed on the scheduler)"
    return client.dashboard_link + note


class _Progress:
    """tqdm on a terminal, plain lines (about every 5 %) otherwise."""

    def __init__(self, total: int, enabled: bool, desc: str):
        self.total, self.n, self.failed = total, 0, 0
        self.enabled = enabled and total > 0
        self.bar = None
        self.desc = desc
        self.every = max(1, total // 20)
        if self.enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="cell", file=sys.stderr)

    def update(self, ok: bool):
        self.n += 1
        self.failed += not ok
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(1)
            if self.failed:
                self.bar.set_postfix(failed=self.failed)
        elif self.n % self.every == 0 or self.n == self.total:
            print(f"{self.desc}: {self.n}/{self.total} cells ({self.failed} failed)", file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _check_workers(workers):
    if workers is None:
        return 2
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"workers must be an integer, got {type(workers).__name__}")
    if not 0 <= workers <= _MAX_WORKERS:
        raise ValueError(f"workers must be in [0, {_MAX_WORKERS}] (0: serial), got {workers}")
    return workers


def run_sweep(study, grid, output, *, client=None, workers: int | None = None, scheduler: str | None = None,
              max_cells: int | None = None, retry_failed: bool = False, progress: bool = True) -> SweepResult:
    """Run ``study`` over ``grid``, one task per cell; resume from the shards in ``output``.

    Parameters
    ----------
    study : str or Study
        ``steady_state``, ``learnability``, ``selection``, ``sgd_error``.
    grid : Grid, mapping or list of str
        ``{'tau': [0.2, 0.5], 'rho': '-1,0,1'}`` or ``['tau=0.2:1:9', ...]``;
        parameters not on the grid take the study's defaults.
    output : path
        Directory (created if its parent exists) for the shards and ``table.csv``.
    client : distributed.Client, optional
        Use this client (not closed here).
    workers : int, optional
        Without ``client``/``scheduler``: a LocalCluster of this many worker
        processes (one thread each; default 2); ``0`` runs serially in this
        process, with identical results.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``).
    max_cells : int, optional
        Compute at most this many missing cells (in grid order) and stop.
    retry_failed : bool
        Recompute cells recorded as failed.
    progress : bool
        Progress bar (terminal) or lines on stderr.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> from symdyn.sweep import run_sweep
    >>> res = run_sweep("steady_state", {"tau": [0.3, 0.5]}, "results/", workers=0)  # doctest: +SKIP
    >>> [round(r["m"], 4) for r in res.rows]  # doctest: +SKIP
    [0.9253, 0.8813]
    """
    study = get_study(study)
    grid = grid if isinstance(grid, Grid) else parse_grid(study.params, grid)
    workers = _check_workers(workers)
    if max_cells is not None and (isinstance(max_cells, bool) or not isinstance(max_cells, int) or max_cells < 0):
        raise ValueError(f"max_cells must be an integer >= 0, got {max_cells!r}")
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise ValueError(f"output {str(out)!r} exists and is not a directory")
    if not out.parent.is_dir():
        raise ValueError(f"the parent directory of output {str(out)!r} does not exist")
    (out / store.CELLS).mkdir(parents=True, exist_ok=True)

    cells = grid.cells(study.params)
    ids = [cell_id(study.name, study.version, c) for c in cells]
    seeds = [cell_seed(study.name, study.version, c) for c in cells]
    done = store.finished_cells(out, study)
    rows = {}
    for cid in ids:
        if cid in done and cid not in rows:
            row = store.read_shard(done[cid], study)
            if not (retry_failed and row["status"] != "ok"):
                rows[cid] = row
    reused = [cid for cid in ids if cid in rows]
    todo = [i for i, cid in enumerate(ids) if cid not in rows]
    n_todo = len(todo)
    if max_cells is not None:
        todo = todo[:max_cells]
    result = SweepResult(study, grid, [], reused=reused, output=out, pending=n_todo - len(todo))
    bar = _Progress(len(todo), progress, f"sweep {study.name}")

    def finish(i, values):
        row = {"cell": ids[i], **cells[i], **values, "seed": seeds[i]}
        store.write_shard(out, study, row)
        rows[ids[i]] = row
        result.computed.append(ids[i])
        bar.update(row["status"] == "ok")

    try:
        if todo and client is None and scheduler is None and workers == 0:
            for i in todo:
                finish(i, compute_cell(study, cells[i], seeds[i]))
        elif todo:
            owned = client is None
            if owned:
                client, _ = make_client(workers, scheduler)
            try:
                result.dashboard = _dashboard(client)
                if result.dashboard and progress:
                    print(f"dask dashboard: {result.dashboard}", file=sys.stderr, flush=True)
                _run_distributed(client, study, cells, seeds, ids, todo, finish, result)
            finally:
                if owned:
                    cluster = getattr(client, "cluster", None)
                    client.close()
                    if cluster is not None:
                        cluster.close()
    finally:
        bar.close()
        result.rows = [rows[cid] for cid in dict.fromkeys(ids) if cid in rows]
        store.write_table(out / "table.csv", study, result.rows)
    return result


def _run_distributed(client, study, cells, seeds, ids, todo, finish, result):
    from distributed import as_completed

    index = {}
    futures = []
    for i in todo:
        f = client.submit(compute_cell, study, cells[i], seeds[i], key=f"symdyn-sweep-{study.name}-{ids[i]}",
                          pure=False)
        index[f.key] = i
        futures.append(f)
    try:
        for f in as_completed(futures):
            i = index[f.key]
            try:
                values = f.result()
            except Exception as exc:  # noqa: BLE001 - a lost task (worker died): no row, retried next run
                result.lost[ids[i]] = f"{type(exc).__name__}: {exc}"
                continue
            finish(i, values)
            f.release()
    except BaseException:
        client.cancel(futures)
        raise


def wall_clock(f, *args, **kwargs):
    """``(result, seconds)`` of one call (used by the benchmark)."""
    t0 = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t0
