"""Check: rules evaluated over a Filing (resolution, intervals, the engine, findings, coverage)."""
