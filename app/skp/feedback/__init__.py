"""Continuous feedback: the dialog kinerja and recorded feedback sessions."""
