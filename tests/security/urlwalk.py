"""Every URL pattern of the project, with a sample URL that resolves to it. New patterns merged
later are found automatically; one that needs a special sample gets it in SAMPLES."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

CONVERTER_SAMPLES = {"int": "1", "slug": "x-1", "str": "x", "path": "1", "uuid": "00000000-0000-0000-0000-000000000001"}
# A pattern whose generated sample does not resolve back to it can be given one here: {name: url}.
SAMPLES: dict[str, str] = {}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route text when unnamed
    route: str
    url: str
    lookup: str  # the view's dotted path


def _sample_route(text: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_SAMPLES.get(m.group(1) or "str", "1"), text)


def _sample_regex(text: str) -> str:
    def group(m: re.Match) -> str:
        body = m.group(1)
        return body.split("|")[0] if re.fullmatch(r"[\w|-]+", body) else "x"

    text = re.sub(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)", group, text)
    text = text.replace("^", "").replace("$", "").replace(r"\Z", "")
    return text.replace("\\", "")


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _sample_route(str(pattern))
    if isinstance(pattern, RegexPattern):
        return _sample_regex(pattern.regex.pattern)
    return str(pattern)


def all_routes() -> list[Route]:
    out: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, url: str, namespace: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p, prefix + str(p.pattern), url + _sample(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}{p.name}" if p.name else prefix + str(p.pattern)
                out.append(Route(name, prefix + str(p.pattern), "/" + url + _sample(p.pattern), p.lookup_str))

    walk(get_resolver(), "", "", "")
    return [Route(r.name, r.route, SAMPLES.get(r.name, r.url), r.lookup) for r in out]


def resolves_to_itself(route: Route) -> bool:
    try:
        return resolve(route.url).route.replace("^", "") == route.route.replace("^", "")
    except Exception:  # noqa: BLE001 - a sample that does not resolve is reported by the test
        return False
