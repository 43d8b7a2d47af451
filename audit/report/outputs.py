"""An audit's or a series' report of one kind (json, html, junit, markdown) as text; each renderer is
imported only when asked for (jinja2 is slow to import)."""
from __future__ import annotations


def render_audit(kind: str, result) -> str:
    """One audit report as text."""
    if kind == "json":
        from .json import dumps, result_document

        return dumps(result_document(result))
    if kind == "html":
        from .html import render
    elif kind == "junit":
        from .junit import render
    else:
        from .markdown import render
    return render(result)


def render_series(kind: str, result, path: str, links=None) -> str:
    """One series report as text (issue 17); the HTML one links into the releases' reports."""
    if kind == "json":
        from .json import dumps
        from .series_data import document

        return dumps(document(result))
    if kind == "junit":
        from .series_data import junit

        return junit(result)
    if kind == "markdown":
        from .series_text import markdown

        return markdown(result)
    from .series_html import render

    return render(result, path, links=links)
