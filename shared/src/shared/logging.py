"""One logging format for every process: one line per record, key=value friendly."""

import logging
import os
import sys


def configure_logging(level: str = "INFO", service: str | None = None) -> None:
    """Send log records to stderr with the service name and process id."""
    service = service or os.path.basename(sys.argv[0])
    fmt = f"%(asctime)s %(levelname)s {service}[%(process)d] %(name)s: %(message)s"
    logging.basicConfig(level=level.upper(), format=fmt, stream=sys.stderr, force=True)
    logging.getLogger("pika").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
