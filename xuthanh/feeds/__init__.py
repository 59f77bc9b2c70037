"""Open feeds (GeoJSON, iCalendar, RSS/Atom) and embeddable widgets for partner websites."""
