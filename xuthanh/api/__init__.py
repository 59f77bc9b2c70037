"""The open API (/api/v1/) for the mobile app, the kiosks and partner websites: typed endpoints over the
catalogue's selectors, JSON errors, ETag/Last-Modified, CORS for registered partner origins, API keys and
rate limits, and an OpenAPI 3 document with interactive docs."""
