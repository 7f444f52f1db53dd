"""Helpers that enumerate the project's URLconf, so no URL escapes the project-wide tests."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_named_patterns(resolver=None, namespace="", prefix=""):
    """Yield (full name, route, pattern) for every named URL pattern of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            child_namespace = namespace
            if pattern.namespace:
                child_namespace = f"{namespace}{pattern.namespace}:"
            yield from iter_named_patterns(pattern, child_namespace, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", route, pattern


def argument_free_url_names():
    """Names of the URLs that take no argument."""
    return sorted(
        {
            name
            for name, route, _ in iter_named_patterns()
            if "<" not in route and "(?P" not in route and "(" not in route
        }
    )
