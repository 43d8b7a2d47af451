"""Batch: many filings through the pipeline on a process pool (or Dask), with a summary and an index."""
