"""Cross-filing checks: several releases of one issuer ordered by period, their shared figures matched and tied."""
