"""Test support code (report renderer for the corpus and the tests)."""
