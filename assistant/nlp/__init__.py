"""The NLP layer: topics of narrative paragraphs, boilerplate scores, the trained embedder."""
