"""Read: a file -> a Filing (sources, submissions, HTML and plain-text tables, prose, meta)."""
