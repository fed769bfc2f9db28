"""Run the per-file work on a dask.distributed cluster: same function, same parts, same tables.

`kehoach run ... --executor dask --scheduler tcp://host:8786` uses an existing cluster;
without --scheduler a LocalCluster with one single-threaded worker per core is started. Each task runs
the file in a child process with the per-file time and memory limits (runner.run_isolated), so a file
that hangs or crashes becomes its errors row and dask never retries it.
"""
from __future__ import annotations

import logging

from .errors import MissingDependency

log = logging.getLogger(__name__)


class DaskExecutor:
    """The small part of the concurrent.futures interface the runner uses, over dask.distributed."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, retries: int = 0):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependency("--executor dask needs dask.distributed: pip install 'kehoach[dask]'") from exc
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self.client = Client(self._cluster)
        self.retries = retries

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False, retries=self.retries)

    def as_completed(self, futures):
        from dask.distributed import as_completed
        return as_completed(list(futures))

    def shutdown(self, wait: bool = True, cancel_futures: bool = False):
        if cancel_futures:
            self.client.cancel(list(self.client.futures.values()) if hasattr(self.client, "futures") else [])
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
