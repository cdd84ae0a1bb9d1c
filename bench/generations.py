"""`make bench-generations`: a generation end to end with the embedded engine at 512x512, POST to `completed`.

Starts the gateway, the outbox relay and the llm-worker on a database and a
vhost of their own (as `make bench` does), trains a style from twelve
generated artworks, then makes generations one after another, each timed from
its POST to the first GET that shows it `completed` (polled every 10 ms, so
a figure can be up to 10 ms late). The first generation loads the style model
into the worker's cache and is reported apart. Then the worker's own part, a
512x512 render and its signature, is timed in this process (no HTTP, broker or
polling): the figure a unit test must not assert.
"""

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import Stack, artwork, grant, studio_env, upload_style  # noqa: E402

from bench.report import Figure, output_arguments, publish  # noqa: E402
from bench.run import BenchEnvironment, machine  # noqa: E402
from llm_worker.studio.engines import RenderRequest  # noqa: E402
from llm_worker.studio.images import training_pixels  # noqa: E402
from llm_worker.studio.render import EmbeddedEngine  # noqa: E402
from llm_worker.studio.training import train  # noqa: E402
from shared import signature  # noqa: E402

ASPECT_RATIO_TOKENS = 50  # "1:1", 512x512


def measure(count: int, epochs: int) -> dict:
    with BenchEnvironment() as env, tempfile.TemporaryDirectory() as storage:
        stack = Stack(studio_env(env.stack_env, storage, epochs))
        try:
            for name in ("gateway", "relay", "llm-worker"):
                stack.start(name)
            started = time.perf_counter()
            artist, uploaded = upload_style(stack)
            assert uploaded.status_code == 202, uploaded.text
            style = stack.wait_until_finished(f"/api/styles/{uploaded.json()['id']}", timeout=600)
            assert style["status"] == "completed", style
            training_s = time.perf_counter() - started
            grant(env.url, artist["id"], (ASPECT_RATIO_TOKENS + 10) * (count + 1))
            seconds, metadata = [], {}
            for n in range(count + 1):
                started = time.perf_counter()
                body = {"style_id": style["id"], "prompt_tags": ["dusk", f"n{n}"], "aspect_ratio": "1:1", "seed": n}
                posted = stack.http.post("/api/generations", json=body)
                assert posted.status_code == 202, posted.text
                generation = stack.wait_until_finished(f"/api/generations/{posted.json()['id']}", timeout=120)
                assert generation["status"] == "completed", generation
                metadata = generation["metadata"]
                seconds.append(time.perf_counter() - started)
        finally:
            stack.stop()
    first, rest = seconds[0], sorted(seconds[1:])
    return {
        "training_s": training_s,
        "first_ms": first * 1000,
        "p50_ms": statistics.median(rest) * 1000,
        "p90_ms": rest[int(0.9 * len(rest)) - 1] * 1000,
        "max_ms": rest[-1] * 1000,
        "size": f"{metadata.get('width')}x{metadata.get('height')}",
        "count": len(rest),
    }


def render_and_sign(count: int, epochs: int) -> dict:
    """A 512x512 render and its signature in this process, p50 / max of `count` after one warm-up."""
    model = train([training_pixels(artwork(n), 40_000_000) for n in range(12)], epochs, seed=3)
    engine, seconds = EmbeddedEngine(), []
    for n in range(count + 1):
        started = time.perf_counter()
        image = engine.render(model, RenderRequest(("dusk", f"n{n}"), n, 512, 512))
        signature.embed(image, n + 1)
        seconds.append(time.perf_counter() - started)
    rest = sorted(seconds[1:])
    return {"render_p50_ms": statistics.median(rest) * 1000, "render_max_ms": rest[-1] * 1000}


def figures(f: dict) -> list[Figure]:
    """The run's figures for the page's table (issue 6's target; the render's own, formerly a unit test's)."""
    return [
        Figure("a generation end to end, 512x512, p50", "< 1 s", f"**{f['p50_ms']:,.0f} ms**", f["p50_ms"] < 1000),
        Figure(
            "the worker's render and signature of a 512x512 image, in-process, p50",
            "< 500 ms",
            f"{f['render_p50_ms']:,.0f} ms",
            f["render_p50_ms"] < 500,
        ),
    ]


def report(args, f: dict) -> str:
    return f"""
## Style studio generations (issue 6), {datetime.date.today().isoformat()}

- Command: `make bench-generations` (`python -m bench.generations --count {args.count} --epochs {args.epochs}`)
- Machine: {machine()}
- Stack: gunicorn gateway, outbox relay and llm-worker (embedded engine, local disk store); one client,
  generations one after another; each timed from its POST to the first GET showing `completed` (10 ms polls).

| measurement | result | target |
| --- | --- | --- |
| a generation end to end, {f["size"]}, p50 / p90 / max of {f["count"]} | **{f["p50_ms"]:.0f}** / {f["p90_ms"]:.0f} / \
{f["max_ms"]:.0f} ms | p50 < 1 s |
| the first generation of a style (loads its model into the worker's cache) | {f["first_ms"]:.0f} ms | |
| the worker's render and signature of one 512x512 image, in-process, p50 / max of {f["count"]} | \
**{f["render_p50_ms"]:.0f}** / {f["render_max_ms"]:.0f} ms | p50 < 500 ms |
| sign-up, then a style of 12 images (320x320) uploaded and trained ({args.epochs} epochs) | {f["training_s"]:.1f} s | |
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30, help="generations measured after the first")
    parser.add_argument("--epochs", type=int, default=10)
    output_arguments(parser)
    args = parser.parse_args()
    measured = measure(args.count, args.epochs) | render_and_sign(args.count, args.epochs)
    publish(args, "bench-generations", figures(measured), report(args, measured), machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
