"""Base: errors for people, and atomic writes; every stage may use these."""
