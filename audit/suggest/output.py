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
