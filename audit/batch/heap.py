"""Glibc's malloc set up for a batch process: memory a filing frees is kept for the next one."""
from __future__ import annotations

import sys

# mallopt(3) parameters
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_SETTINGS = ((_M_MMAP_THRESHOLD, 32 << 20), (_M_TRIM_THRESHOLD, 32 << 20), (_M_TOP_PAD, 16 << 20))
_done = False


def keep_freed_memory() -> bool:
    """In a process that audits filing after filing (a pool worker, --jobs 1): blocks up to 32 MB
    come from the heap, and freed memory goes back to the kernel only beyond 32 MB free, so that
    a filing's large blocks (its report's text, ~0.4 MB, and its encoding) reuse the last
    filing's pages instead of mapping fresh ones (~170 page faults a filing otherwise). True when
    this call made the settings; elsewhere than Linux with glibc, and a second time, a no-op.
    Nothing a filing produces depends on it."""
    global _done
    if _done or not sys.platform.startswith("linux"):
        return False
    _done = True
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (musl has mallopt, as a no-op)
        return False
    return all([mallopt(param, value) == 1 for param, value in _SETTINGS])
