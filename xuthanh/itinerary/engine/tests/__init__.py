"""Tests of the trip engine alone (plain pytest, no Django, no database)."""
