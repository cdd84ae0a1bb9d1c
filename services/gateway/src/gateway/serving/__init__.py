"""How the gateway's gunicorn serves: a sync worker that is tied to a connection only once its request arrived.

`HeadFirstSyncWorker` (the deployed one) reads each request's head, and a small
body, without blocking before a worker serves it (`worker.py`); its parent
`PromptCloseSyncWorker` sends an answer in one write and closes promptly (a
fast path, gateway/fastpaths/prompt_close.py: off with FAST_PATHS=0). Both
replace gunicorn internals, so the gunicorn they run on is checked first
(`gunicorn_version.py`): on another release the import fails with what to do,
rather than serving corrupt answers.
"""

from gateway.serving.gunicorn_version import require_tested_gunicorn

require_tested_gunicorn()

from gateway.fastpaths.prompt_close import OneWriteResponse, close_promptly  # noqa: E402
from gateway.serving.prompt_close import PromptCloseSyncWorker  # noqa: E402
from gateway.serving.worker import HeadFirstSyncWorker  # noqa: E402

__all__ = ["HeadFirstSyncWorker", "OneWriteResponse", "PromptCloseSyncWorker", "close_promptly"]
