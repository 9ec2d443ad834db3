"""Where the trained model lives: the folder ``INSIGHT_PATH`` names (``instance/insight/``
by default), written by the nightly training.

``model.joblib`` holds the theme and team classifiers and the similar-cases index;
``about.json`` beside it says when it was trained, on how many records, and how well it did
on the records held back from training, so the administrator's page reads that without
loading the model. The model is only ever our own file: it is written here and read back,
never fetched. A model is loaded once per process and again only when the file changes.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import joblib

MODEL = "model.joblib"
ABOUT = "about.json"
_lock = threading.Lock()
_cache: dict[str, tuple[float, dict]] = {}


def save(folder: str, model: dict | None, about: dict) -> None:
    """Write the model (or remove it, when ``model`` is None) and what is known about it,
    each to a temporary file first and then moved into place, so a reader never sees half."""
    where = Path(folder)
    where.mkdir(parents=True, exist_ok=True)
    if model is None:
        (where / MODEL).unlink(missing_ok=True)
    else:
        part = where / (MODEL + ".part")
        joblib.dump(model, part, compress=3)
        os.replace(part, where / MODEL)
    part = where / (ABOUT + ".part")
    part.write_text(json.dumps(about, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(part, where / ABOUT)


def about(folder: str) -> dict | None:
    path = Path(folder) / ABOUT
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _read(path: Path) -> dict | None:
    """The model in the file, or None when it was stored in an older format (or by another
    version of scikit-learn that cannot read it): refused, not used, until the next training
    replaces it."""
    from portal.services.insight.model import FORMAT

    try:
        model = joblib.load(path)
    except Exception:  # noqa: BLE001 - unpickling fails in many ways; any of them means retrain, not a 500
        return None
    return model if isinstance(model, dict) and model.get("format") == FORMAT else None


def load(folder: str) -> dict | None:
    """The trained model, or None if there is none (or only one in an older format)."""
    path = Path(folder) / MODEL
    try:
        changed = path.stat().st_mtime_ns
    except FileNotFoundError:
        _cache.pop(str(path), None)
        return None
    with _lock:
        cached = _cache.get(str(path))
        if cached is None or cached[0] != changed:
            cached = (changed, _read(path))
            _cache[str(path)] = cached
    return cached[1]
