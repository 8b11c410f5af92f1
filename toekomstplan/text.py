"""Text that comes in from people: trimmed to its column and free of control characters."""

import unicodedata


def _printable(value: str, keep_newlines: bool) -> str:
    # Control characters (a pasted NUL, an escape sequence) mean nothing on a page and break
    # mail headers; a tab becomes a space. Format characters (emoji joiners) stay.
    kept = []
    for char in value:
        if char == "\n" and keep_newlines:
            kept.append(char)
        elif char in "\t\n\r\v\f":
            kept.append(" ")
        elif unicodedata.category(char) != "Cc":
            kept.append(char)
    return "".join(kept)


def clean_line(value: str | None, limit: int) -> str:
    """Return one line of text: trimmed, control characters out, at most `limit` characters."""
    return _printable(value or "", keep_newlines=False).strip()[:limit].strip()


def clean_text(value: str | None, limit: int) -> str:
    """Return a text of paragraphs: line breaks kept (as \\n), trimmed, at most `limit`."""
    normalised = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _printable(normalised, keep_newlines=True).strip()[:limit].strip()
