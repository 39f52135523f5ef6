"""The surface manifest (tests/surfaces.json) holds the Python package to the same list of
operations as the JavaScript module: a public name of `alor` or of one of its classes that the
manifest does not list fails, and so does a Python name the manifest lists that `alor` lacks.
The JS side is tests/js/surfaces.test.mjs; tests/README.md describes the format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import alor
import alor.analytics

MANIFEST: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[1] / "surfaces.json").read_text(encoding="utf-8")
)
CLASSES = {"Ledger": alor.Ledger, "Checker": alor.Checker, "Dataset": alor.Dataset,
           "ArrowTable": alor.ArrowTable, "Store": alor.Store}


def resolve(name: str) -> Any:
    """`alor.<name>` or `alor.analytics.<name>` ("analytics.x"), through classes ("Ledger.x")."""
    target: Any = alor
    for part in name.split("."):
        target = getattr(target, part)
    return target


def python_surface() -> set[str]:
    names = set()
    for name in alor.__all__:
        if name in {"analytics", "demo"}:
            continue
        names.add(name)
        cls = CLASSES.get(name)
        if cls is not None:
            names |= {f"{name}.{m}" for m in dir(cls) if not m.startswith("_")}
    # alor.analytics re-exports a few top-level names (Dataset, AnalyticsError): the same objects,
    # listed once, under their top-level names.
    names |= {f"analytics.{n}" for n in alor.analytics.__all__
              if getattr(alor, n, None) is not getattr(alor.analytics, n)}
    names |= {f"demo.{n}" for n in alor.demo.__all__}
    return names


def listed() -> set[str]:
    return {e["python"] for e in MANIFEST if e.get("python")}


def test_every_python_name_in_the_manifest_exists() -> None:
    missing = []
    for name in sorted(listed()):
        try:
            resolve(name)
        except AttributeError:
            missing.append(name)
    assert missing == [], f"the manifest names Python operations alor lacks: {missing}"


def test_every_public_python_name_is_in_the_manifest() -> None:
    unlisted = sorted(python_surface() - listed())
    assert unlisted == [], (
        f"public Python names missing from tests/surfaces.json (add them, with the JS name or "
        f"'only' and 'why'): {unlisted}"
    )


def test_one_surface_operations_say_why() -> None:
    for entry in MANIFEST:
        if "only" in entry:
            assert entry[entry["only"]] and len(entry["why"]) > 20, entry
        else:
            assert entry["python"] and entry["js"], entry
