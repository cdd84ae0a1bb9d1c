"""Write .env from .env.example with fresh webhook secrets (run once by `make run`; never committed)."""

import base64
import os
import secrets
import sys
from pathlib import Path


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    if target.exists():
        return 0
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    lines = []
    for line in Path(".env.example").read_text().splitlines():
        if line.startswith("JOBS_WEBHOOK_SECRETS=") or line.startswith("JOBS_WEBHOOK_SECRET="):
            line = line.split("=", 1)[0] + "=" + secret
        lines.append(line)
    target.write_text("\n".join(lines) + "\n")
    os.chmod(target, 0o600)
    print(f"wrote {target} with a fresh webhook secret")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
