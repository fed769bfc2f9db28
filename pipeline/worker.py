"""One file in a child process: `python -m pipeline.worker` reads {"path": hex bytes, "opts": {...}} on stdin
and writes process_file's result as JSON on stdout (runner.run_isolated, used under dask)."""
from __future__ import annotations

import json
import os
import sys


def main() -> None:
    from .options import Options
    from .runner import process_file
    job = json.loads(sys.stdin.read())
    if os.environ.get("KEHOACH_WORKER_SLEEP"):   # test seam: a worker that hangs and ignores the soft alarm
        import signal
        import time
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(float(os.environ["KEHOACH_WORKER_SLEEP"]))
    opts = Options(**{**job["opts"], "formats": tuple(job["opts"]["formats"])})
    path = os.fsdecode(bytes.fromhex(job["path"]))
    sys.stdout.write(json.dumps(process_file(path, opts), ensure_ascii=True, default=str))


if __name__ == "__main__":
    main()
