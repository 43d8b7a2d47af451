"""qfin-audit: tick and tie every figure of an earnings release with declarative rules."""
__version__ = "0.1.0"
