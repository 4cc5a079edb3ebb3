"""Objections (keberatan) to a final evaluation, decided once by the atasan."""
