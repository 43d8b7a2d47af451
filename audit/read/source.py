"""Reading a filing's bytes as text, with one clear error for each kind of bad input."""
from __future__ import annotations

import os
import re

from ..base.errors import InputError

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
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return decode(data, path, keep_bom=True)


def decode(data: bytes, path: str, keep_bom: bool = False) -> str:
    """Decode a filing's bytes as UTF-8 text, rejecting empty and binary input."""
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    if b"\x00" in data[:65536]:
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
