"""Application services: the logic behind the routes (routes stay thin)."""
