"""gunicorn's sync worker, with the fast paths' one-write answers and prompt close unless FAST_PATHS=0."""

from gunicorn.workers.sync import SyncWorker

from gateway.fastpaths import switch
from gateway.fastpaths.prompt_close import install


class PromptCloseSyncWorker(SyncWorker):
    """The sync worker (one request at a time, Connection: close); gateway/fastpaths/prompt_close.py's answers."""

    def load_wsgi(self) -> None:
        super().load_wsgi()
        if switch.enabled():  # as create_app, just run in this process, set it from FAST_PATHS
            install()
