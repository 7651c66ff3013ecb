"""Render a checked report for people (text, Markdown) and programs (JSON)."""
