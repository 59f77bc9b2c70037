"""A bare Django page for bench/web.py to compare the real pages against: 20 rows rendered from a template,
no database. Installed (and routed at /bench/reference/) only when XUTHANH_BENCH_REFERENCE=1."""
