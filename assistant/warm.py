"""Imported once by the workers' fork server (guard.py): loads the NLP models there, so that every
worker forked from it starts with them instead of loading them on its first check."""
from .checker import check_document  # noqa: F401  (imported for the workers)
from .nlp.analysis import load_models

load_models()
