"""Trip planning: the optimisation engine (engine/, pure Python), travel-time providers (travel.py), and the
Django side that builds problems from the catalogue and serves plans."""
