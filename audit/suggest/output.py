"""Writing a drafted pack to a folder: its own files only, each atomically, never over a filing."""
from __future__ import annotations

import os

from ..base.errors import InputError


def write_pack(files: dict, folder: str, filing: str) -> list[str]:
    """Write {stem: text} as folder/stem.rules; a folder holding other rule files is refused (they
    would join the pack)."""
    from ..base.output import refuse_inputs, write_atomic

    if os.path.exists(folder) and not os.path.isdir(folder):
        raise InputError(f"{folder}: not a folder")
    ours = {f"{stem}.rules" for stem in files}
    if os.path.isdir(folder):
        others = sorted(name for name in os.listdir(folder) if name.endswith(".rules") and name not in ours)
        packs = sorted(e.name for e in os.scandir(folder) if e.is_dir() and _holds_rules(e.path))
        if packs:
            raise InputError(f"{folder}: holds rule packs ({', '.join(packs[:3])}): a drafted pack goes in a "
                             f"folder of its own, such as {os.path.join(folder, 'drafted')}")
        if others:
            raise InputError(f"{folder}: already holds other rule files ({', '.join(others[:3])}), which would "
                             "join the drafted pack; choose a new or empty folder")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot be created ({exc.strerror or exc})") from None
    paths = [os.path.join(folder, f"{stem}.rules") for stem in files]
    refuse_inputs(paths, [filing])
    for path, text in zip(paths, files.values()):
        write_atomic(path, text)
    return paths


def _holds_rules(folder: str) -> bool:
    try:
        return any(name.endswith(".rules") for name in os.listdir(folder))
    except OSError:
        return False
