"""gunicorn's sync worker with the fast paths (one-write answers, prompt close, settings once) unless FAST_PATHS=0."""

from gunicorn.workers.sync import SyncWorker

from gateway.fastpaths import switch, worker_config
from gateway.fastpaths.prompt_close import install


class PromptCloseSyncWorker(SyncWorker):
    """The sync worker (one request at a time, Connection: close); gateway/fastpaths/prompt_close.py's answers.

    With them, gateway/fastpaths/worker_config.py: the settings, the peers' trust and the Date header, worked out once.
    """

    def load_wsgi(self) -> None:
        super().load_wsgi()
        if switch.enabled():  # as create_app, just run in this process, set it from FAST_PATHS
            install()
            worker_config.install(self.cfg)
