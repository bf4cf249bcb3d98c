"""The knowledge base: articles per intent and language, national base + local overrides."""
