"""What the migrations ship, made again after a transactional test's flush."""


def shipped_spaces_ensure():
    """The spaces the migrations create (the pack names the FWB's): a transactional test's
    flush removes them, so they are made again as the migration makes them."""
    import importlib

    from balise.spaces.models import Space

    if not Space.objects.exists():
        shipped = importlib.import_module("balise.spaces.migrations.0002_default_and_fwb_spaces").SPACES
        for fields in shipped:
            # Without the fields later migrations removed (the context string).
            Space.objects.create(**{k: v for k, v in fields.items() if k != "content_context"})
