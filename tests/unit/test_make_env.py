"""The .env that `make run` writes (deploy/scripts/make_env.py): safe defaults and fresh secrets."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_env(workdir: Path, existing: str | None = None) -> tuple[dict[str, str], str]:
    """Run make_env.py in `workdir` (with the repository's .env.example); the .env's values and what it printed."""
    shutil.copy(ROOT / ".env.example", workdir / ".env.example")
    if existing is not None:
        (workdir / ".env").write_text(existing)
    script = ROOT / "deploy/scripts/make_env.py"
    run = subprocess.run([sys.executable, script, ".env"], cwd=workdir, capture_output=True, text=True, check=True)
    lines = (workdir / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")), run.stdout


def test_a_fresh_env_refuses_private_webhook_urls(tmp_path):
    values, _ = make_env(tmp_path)
    assert values["WEBHOOK_ALLOW_PRIVATE_URLS"] == "false"


def test_an_older_env_allowing_private_urls_is_kept_but_pointed_out(tmp_path):
    values, printed = make_env(tmp_path, "WEBHOOK_ALLOW_PRIVATE_URLS=true\n")
    assert values["WEBHOOK_ALLOW_PRIVATE_URLS"] == "true"  # the operator's file is never changed behind their back
    assert "WEBHOOK_ALLOW_PRIVATE_URLS=true" in printed


def test_an_operator_token_is_generated_once_and_then_kept(tmp_path):
    first, _ = make_env(tmp_path)
    assert len(first["OPERATOR_TOKEN"]) >= 32
    again, _ = make_env(tmp_path, (tmp_path / ".env").read_text())
    assert again["OPERATOR_TOKEN"] == first["OPERATOR_TOKEN"]
