"""Spaces: a partner's own platform (its address, look, home page, languages and content).

The default space is the international platform. Every request knows its space
(`request.space`, set by `SpaceMiddleware`); every person has a home space.
"""
