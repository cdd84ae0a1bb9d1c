"""gunicorn settings for the gateway; every knob can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GATEWAY_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2)))
# "sync" means gunicorn's sync worker as gateway/serving makes it: a worker serves a connection once its request
# has arrived (slow clients wait in a selector, not in a worker), one-write answers and a prompt close (fast paths:
# off with FAST_PATHS=0, which the app's settings read), problem+json refusals. Any other class is used as named
# (gateway.serving.PromptCloseSyncWorker: the same without the first).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
if worker_class == "sync":
    worker_class = "gateway.serving.HeadFirstSyncWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
backlog = 2048
keepalive = 5
timeout = 30
graceful_timeout = 20
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") == "1" else None
errorlog = "-"
proc_name = "gateway"
# Each worker's heartbeat touches a temporary file every loop; on tmpfs that is a memory write, not a disk one.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)
