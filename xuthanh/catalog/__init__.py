"""The tourism catalogue: places, events and festivals, specialties and tours, with translations, opening
hours, tickets, photos and the editorial workflow. Everything else on the platform reads from here."""
