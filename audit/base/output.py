"""Writing outputs atomically: a temporary file in the same folder, then a rename."""
from __future__ import annotations

import os
import tempfile
from typing import Iterable, Union


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str, data: Union[str, bytes, Iterable[str]], private: bool = False) -> None:
    """Write text, bytes or a stream of text chunks to path so that readers see the old file or
    the whole new one, never a part. Reports get the usual permissions; `private` files (caches)
    stay readable by their owner only."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700 if private else 0o777, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=folder)
    try:
        if not private:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes owner-only files; a report is for sharing
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                if isinstance(data, str):
                    handle.write(data)
                else:
                    handle.writelines(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
