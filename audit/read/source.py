"""Reading a filing's bytes as text, with one clear error for each kind of bad input."""
from __future__ import annotations

import os
import re
import stat

from ..base.errors import InputError

#: Limits on a filing, each raised by an environment variable (see README, Limits and robustness).
LIMITS = {"QFIN_AUDIT_MAX_FILING_MB": 16, "QFIN_AUDIT_MAX_LINE_CHARS": 50_000, "QFIN_AUDIT_MAX_RULES_KB": 1024}

#: Tags that open an HTML document (looks_like_html checks what stands before the first one).
_MARKUP = re.compile(r"<(?:!doctype\s+html|html|body|table|div|p|font|center|pre)\b", re.IGNORECASE)


def read_text(path: str) -> str:
    """The file's text, or InputError naming the file and what is wrong with it. A UTF-8 byte
    order mark is kept (as U+FEFF), so offsets and the sha256 are those of the file's bytes;
    extraction reads past it."""
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a filing's text file")
    most = limit("QFIN_AUDIT_MAX_FILING_MB") * 1024 * 1024
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(f"{path}: is not a regular file (a device, FIFO or socket), "
                                 "expected a filing's text file")
            os.set_blocking(handle.fileno(), True)
            data = handle.read(most + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > most:
        raise InputError(f"{path}: is larger than the filing size limit of {most // (1024 * 1024)} MB; "
                         "raise it with QFIN_AUDIT_MAX_FILING_MB=N")
    return decode(data, path, keep_bom=True)


def limit(name: str) -> int:
    """A limit's value: the environment variable when it is a positive whole number, else the default."""
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else LIMITS[name]


def check_lines(lines: list[str], path: str) -> None:
    """InputError naming the first line longer than the line length limit (text as read: for an
    HTML document, its rendering), which bounds the time and memory one line can take."""
    most = limit("QFIN_AUDIT_MAX_LINE_CHARS")
    if not lines or max(map(len, lines)) <= most:
        return
    for number, line in enumerate(lines, 1):
        if len(line) > most:
            raise InputError(f"{path}:{number}: line is {len(line):,} characters long, over the line length "
                             f"limit of {most:,}; raise it with QFIN_AUDIT_MAX_LINE_CHARS=N")


def decode(data: bytes, path: str, keep_bom: bool = False) -> str:
    """Decode a filing's bytes as UTF-8 text, rejecting empty and binary input."""
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    if b"\x00" in data:
        raise InputError(f"{path}: is a binary file (it contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded)"
        ) from None
    if not text.lstrip("\ufeff").strip():  # e.g. only a UTF-8 byte order mark
        raise InputError(f"{path}: file is empty")
    return text


def looks_like_html(text: str) -> bool:
    """Is this an HTML document (an EDGAR .htm exhibit) rather than a filing's plain text?

    Only the start is read: a tag such as <html>, <body> or <table> must open the text, alone or
    after other tags (<DOCUMENT><TYPE>...<TEXT>, <!DOCTYPE>, comments). An EDGAR wrapper around
    plain text is not HTML, and a text that merely mentions "<table>" is not either.
    """
    for match in _MARKUP.finditer(text, 0, 4096):
        before = text[:match.start()].rstrip()
        return not before or before.endswith(">")  # the first such tag opens the text, or follows a tag
    return False
