"""The mobile app: an installable, offline-first Progressive Web App served by the platform under /app/."""
