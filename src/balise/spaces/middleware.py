from django.urls import get_script_prefix, set_script_prefix

from balise.spaces.selectors import space_resolve


class SpaceMiddleware:
    """Sets `request.space` from the host name, then from a path prefix (/fwb/… on a single-host
    install, where the prefix then works as the script name: URLs reversed inside carry it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        space, prefix = space_resolve(request.get_host(), request.path_info)
        request.space = space
        if not prefix:
            return self.get_response(request)
        previous = get_script_prefix()
        request.path_info = request.path_info[len(prefix) + 1 :] or "/"
        request.META["SCRIPT_NAME"] = request.META.get("SCRIPT_NAME", "") + "/" + prefix
        set_script_prefix(request.META["SCRIPT_NAME"] + "/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)
