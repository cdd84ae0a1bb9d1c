"""Write .env from .env.example with fresh secrets (run by `make run`; never committed).

An existing .env is kept; only generated secrets it lacks are added to it.
"""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path


def rsa_private_key_pem() -> str:
    pem = subprocess.run(
        ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return pem.strip().replace("\n", "\\n")


PAIRS = [
    ("JOBS_WEBHOOK_SECRETS", "JOBS_WEBHOOK_SECRET"),
    ("PAYMENTS_WEBHOOK_SECRETS", "PAYMENTS_WEBHOOK_SECRET"),
    ("NOTIFIER_WEBHOOK_SECRETS", "NOTIFIER_WEBHOOK_SECRET"),
    ("TRAINING_WEBHOOK_SECRETS", "TRAINING_WEBHOOK_SECRET"),
    ("INFERENCE_WEBHOOK_SECRETS", "INFERENCE_WEBHOOK_SECRET"),
]


def _pair(signing: str) -> dict[str, str]:
    """One fresh secret as the sender's `<NAME>` and the receiver's accepted `<NAME>S`."""
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    return {f"{signing}S": secret, signing: secret}


def generated() -> dict[str, str]:
    webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    payments_webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    notifier_webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    return {
        "JOBS_WEBHOOK_SECRETS": webhook_secret,
        "JOBS_WEBHOOK_SECRET": webhook_secret,
        "PAYMENTS_WEBHOOK_SECRETS": payments_webhook_secret,
        "PAYMENTS_WEBHOOK_SECRET": payments_webhook_secret,
        "NOTIFIER_WEBHOOK_SECRETS": notifier_webhook_secret,
        "NOTIFIER_WEBHOOK_SECRET": notifier_webhook_secret,
        **_pair("TRAINING_WEBHOOK_SECRET"),
        **_pair("INFERENCE_WEBHOOK_SECRET"),
        "JWT_PRIVATE_KEY": f'"{rsa_private_key_pem()}"',
        "SECRET_KEY": secrets.token_urlsafe(32),
        "OPERATOR_TOKEN": secrets.token_urlsafe(32),  # the bearer secret of /api/health/detailed
        "MEDIA_URL_SECRET": secrets.token_urlsafe(32),
    }


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    existing = target.read_text().splitlines() if target.exists() else Path(".env.example").read_text().splitlines()
    have = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in existing if "=" in line and line[0] != "#"}
    if have.get("WEBHOOK_ALLOW_PRIVATE_URLS", "").strip().lower() in ("true", "1", "yes", "on"):
        # older .env files had it on by default; keep the operator's file, but say what it does
        print(f"note: {target} sets WEBHOOK_ALLOW_PRIVATE_URLS=true: customer webhooks may reach loopback and private")
        print("      addresses (cloud metadata, this machine's services); set it to false unless you mean it")
    fresh = {name: value for name, value in generated().items() if not have.get(name)}
    for accepted, signing in PAIRS:  # the receiver's list must hold the sender's secret
        if have.get(accepted) and not have.get(signing):
            fresh[signing] = have[accepted].split(",")[0].strip()
        elif have.get(signing) and not have.get(accepted):
            fresh[accepted] = have[signing]
    if not fresh:
        return 0
    lines = [line for line in existing if line.split("=", 1)[0] not in fresh]
    lines += [f"{name}={value}" for name, value in fresh.items()]
    target.write_text("\n".join(lines) + "\n")
    os.chmod(target, 0o600)
    print(f"wrote {', '.join(fresh)} to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
