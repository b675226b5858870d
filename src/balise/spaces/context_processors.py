from balise.spaces.selectors import space_default


def space(request):
    """The request's space for every template (the header's name, colours, footer links)."""
    return {"space": getattr(request, "space", None) or space_default()}
