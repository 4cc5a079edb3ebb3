"""Region settings as a tenant changes them: versions in force from a period,
saved through one service (``app.settings.services.save_version``) by the
settings editor and by an adopted criteria consultation alike."""
