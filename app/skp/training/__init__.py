"""Follow-up: training recommendations and the catalogue."""
