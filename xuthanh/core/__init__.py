"""Shared foundations: pure helpers (text folding, opening hours, lunar dates, geometry, env parsing),
the audit log and the base classes every other app builds on. Depends on no other xuthanh app."""
