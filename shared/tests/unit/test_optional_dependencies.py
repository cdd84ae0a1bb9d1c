"""Each service installs only what it imports: shared's heavy parts are extras, never loaded behind a service's back."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXTRA_PACKAGES = {  # the top-level modules of shared/pyproject.toml's extras
    "db": {"alembic", "sqlalchemy", "psycopg"},
    "images": {"numpy", "PIL"},
    "s3": {"boto3", "botocore"},
}
HEAVY = set().union(*EXTRA_PACKAGES.values())
MODULES_OF = {"pillow": {"PIL"}, "boto3": {"boto3", "botocore"}}  # distribution -> modules, where names differ
OPTIONAL_MODULES = ("shared.migrations", "shared.signature", "shared.storage.s3")  # the modules behind the extras

# Import every module of the packages named (no Alembic scripts, no __main__, none named after "--skip"),
# then print the top-level packages loaded.
PROBE = """
import importlib, pkgutil, sys
args = sys.argv[1:]
tops, skip = args[: args.index("--skip")], set(args[args.index("--skip") + 1 :])
for top in tops:
    package = importlib.import_module(top)
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), top + "."):
        name = info.name
        if ".migrations." not in name and not name.endswith("__main__") and name not in skip:
            importlib.import_module(name)
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def heavy_loaded_by(*packages: str, skip: tuple[str, ...] = ()) -> set[str]:
    """The heavy packages a fresh interpreter holds after importing `packages` and their submodules but `skip`."""
    command = [sys.executable, "-c", PROBE, *packages, "--skip", *skip]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split()) & HEAVY


def requirements(specifiers: list[str]) -> dict[str, set[str]]:
    """Distribution name -> the extras asked for, from PEP 508 requirement strings."""
    parsed = {}
    for specifier in specifiers:
        name, extras = re.match(r"([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?", specifier).groups()
        parsed[name.lower()] = {extra.strip() for extra in (extras or "").split(",") if extra.strip()}
    return parsed


def installed_heavy_modules(service: str) -> set[str]:
    """The heavy packages installing a service brings: its own, shared's, and those of the shared extras it asks for."""
    shared = tomllib.loads((ROOT / "shared/pyproject.toml").read_text())["project"]
    project = tomllib.loads((ROOT / "services" / service / "pyproject.toml").read_text())["project"]
    names = set()
    for name, extras in requirements(project["dependencies"]).items():
        if name != "platform-shared":
            names.add(name)
            continue
        names |= requirements(shared["dependencies"]).keys()
        for extra in extras:
            names |= requirements(shared["optional-dependencies"][extra]).keys()
    return set().union(*(MODULES_OF.get(name, {name}) for name in names)) & HEAVY


@pytest.mark.parametrize("service", ["payments", "notifier"])
def test_a_service_loads_only_heavy_packages_its_install_brings(service):
    assert heavy_loaded_by(service) <= installed_heavy_modules(service)


@pytest.mark.parametrize("service", ["payments", "notifier"])
def test_payments_and_notifier_neither_install_nor_load_image_or_s3_libraries(service):
    images_and_s3 = EXTRA_PACKAGES["images"] | EXTRA_PACKAGES["s3"]

    assert not installed_heavy_modules(service) & images_and_s3
    assert not heavy_loaded_by(service) & images_and_s3


def test_the_notifier_neither_installs_nor_loads_a_database_library():
    assert not installed_heavy_modules("notifier") & EXTRA_PACKAGES["db"]
    assert not heavy_loaded_by("notifier") & EXTRA_PACKAGES["db"]


def test_shared_without_the_modules_behind_its_extras_loads_no_heavy_package():
    """`import shared`, `shared.storage` (the local store) and every other base module stay light."""
    assert heavy_loaded_by("shared", skip=OPTIONAL_MODULES) == set()
