"""Every query parameter of every page and API endpoint is validated one way
(``saferhub.security.query``): bad input is a 400 with a message naming the parameter, never a
500 (issue 12, finding 10: ``/api/projects/?fund=99999999999999999999`` answered 500).

The source is grepped for every ``request.GET`` / ``query_params`` read, so that a new one must
go through the parsers and be added to the fuzz table below; Hypothesis then tries hostile values
(huge, negative, non-ASCII digits, NUL and control characters, very long strings, unicode) on
each route x parameter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from saferhub.accounts.models import User
from saferhub.demo import load_demo
from saferhub.domain.calendar import Month
from tests.performance.conftest import NOW

SRC = Path(__file__).resolve().parents[2] / "src" / "saferhub"

# route -> the query parameters it reads. Every parameter a parser reads in src/ is here.
FUZZ = {
    "/api/projects/": ["partnership", "fund", "year"],
    "/api/funds/": ["partnership"],
    "/api/publications/": ["partnership"],
    "/dashboard/": ["period"],
    "/indicators/overall-crime/": ["period", "saved"],
    "/reports/": ["period"],
    "/reports/download.json": ["period"],
    "/audit/": ["page", "user", "action", "object_type", "date_from_0", "date_from_1", "date_from_2", "date_to_0"],
    "/publishing/{proposal}/": ["error"],
    "/accounts/login/": ["next"],
    "/accounts/confirm-password/": ["next"],
}

# Reads that are not the parsers', each reviewed: a Django form validates the audit filters
# (typed, bounded fields); the pagination links re-encode the query string; the sign-in door's
# ``next`` is checked by url_has_allowed_host_and_scheme (accounts/views.py, the door's owner's).
REVIEWED = {
    ("audit/views.py", "form = AuditFilterForm(request.GET or None, object_types=object_types())"),
    ("audit/views.py", "query = request.GET.copy()"),
    ("accounts/views.py", 'target = request.POST.get("next") or request.GET.get("next") or ""'),
    # The admin's sign-in only redirects to the door; its ``next`` is checked the same way.
    (
        "accounts/admin_site.py",
        'target = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""',
    ),
}
PARSED = re.compile(r'query_\w+\(\s*(?:self\.)?(?:request\.GET|request\.query_params|params)\s*,\s*"(\w+)"')
READ = re.compile(r"request\.GET|query_params")

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "99999999999999999999",
            "-99999999999999999999",
            "2147483648",
            "-1",
            "0",
            "1",
            "1e9",
            "0x10",
            "1.5",
            " 1",
            "1 ",
            "\u00b2",
            "\u0661\u0662",
            "\uff11",
            "\x00",
            "a\x00b",
            "\r\nX-Injected: 1",
            "\t",
            "9" * 400,
            "x" * 5000,
            "\U0001f600",
            "\u202e",
            "'; DROP TABLE x; --",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "NaN",
            "inf",
            "2016-11",
            "2016-13",
            "2016-00",
            "0000-01",
            "9999-12",
            "1990-01",
            "2100-12",
            "\u0662\u0660\u0661\u0666-\u0661\u0661",
            "safer-plymouth",
            "nope",
            "https://evil.example/",
            "//evil.example",
            "/dashboard/",
            "reason",
            "export",
        ]
    ),
    st.integers().map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
)


def _reads() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for line in path.read_text(encoding="utf-8").splitlines():
            if READ.search(line):
                found.append((rel, line.strip()))
    return found


def test_every_query_parameter_read_goes_through_the_parsers():
    wrong, names = [], set()
    for rel, line in _reads():
        if rel == "security/query.py" or (rel, line) in REVIEWED:
            continue
        parsed = PARSED.findall(line)
        if parsed:
            names.update(parsed)
        elif not re.fullmatch(r"params = self\.request\.query_params", line):
            wrong.append(f"{rel}: {line}")
    # A file that keeps the query parameters in ``params`` reads them only through the parsers.
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "params = self.request.query_params" in text and re.search(r"params(\.get\(|\[)", text):
            wrong.append(f"{path.relative_to(SRC)}: reads params directly")
        names.update(PARSED.findall(text))
    assert not wrong, "read these through saferhub.security.query:\n" + "\n".join(wrong)
    fuzzed = {p for params in FUZZ.values() for p in params}
    assert names <= fuzzed, f"add these parameters to FUZZ: {sorted(names - fuzzed)}"


@pytest.fixture
def world(client, db):
    from saferhub.publishing.services import publication_propose

    partnership = load_demo(now=NOW)
    admin = User.objects.get(username="admin")
    proposal = publication_propose(
        partnership=partnership, period=Month(2016, 10), actor=User.objects.get(username="analyst"), now=NOW
    )
    client.force_login(admin)
    client.raise_request_exception = True  # an exception fails the test with its traceback
    return {"proposal": proposal.pk}


def _says_what_is_wrong(response, name: str) -> bool:
    if response["Content-Type"].startswith("application/json"):
        return name in response.json() and bool(response.json()[name])
    html = response.content.decode()
    return "There is a problem with the address" in html and name in html or "govuk-error-summary" in html


@pytest.mark.parametrize(
    ("url", "name", "value"),
    [
        ("/api/projects/", "fund", "99999999999999999999"),  # the finding: was a 500 (OverflowError)
        ("/api/projects/", "fund", "\u00b2"),  # str.isdigit() but not int(): was a 500
        ("/api/projects/", "fund", "-1"),
        ("/api/projects/", "year", "20170"),
        ("/api/projects/", "partnership", "a\x00b"),  # PostgreSQL refuses NUL in a string: was a 500 there
        ("/api/funds/", "partnership", "x" * 300),
        ("/api/publications/", "partnership", "not a slug"),
        ("/dashboard/", "period", "2016-13"),
        ("/dashboard/", "period", "0000-01"),
        ("/reports/", "period", "\u0662\u0660\u0661\u0666-\u0661\u0661"),
        ("/reports/download.json", "period", "nope"),
        ("/indicators/overall-crime/", "saved", "2"),
        ("/audit/", "page", "abc"),
        ("/audit/", "user", "a\x00b"),
        ("/audit/", "date_from_2", "99999999999999999999"),
        ("/publishing/{proposal}/", "error", "\x00"),
    ],
)
def test_a_bad_value_is_a_400_that_names_the_parameter(client, world, url, name, value):
    response = client.get(url.format(**world), {name: value})
    assert response.status_code == 400, (url, name, value, response.status_code)
    assert _says_what_is_wrong(response, name)


@pytest.mark.parametrize(
    ("url", "query", "count"),
    [
        ("/api/projects/", {"fund": ""}, 8),  # an empty parameter is no filter
        ("/api/projects/", {"year": "2017", "partnership": "safer-plymouth"}, 8),
        ("/api/projects/", {"year": "2016"}, 0),
        ("/api/projects/", {"fund": "2147483647"}, 0),
    ],
)
def test_good_values_still_filter(client, world, url, query, count):
    response = client.get(url, query)
    assert response.status_code == 200 and len(response.json()) == count


@pytest.mark.parametrize("route", list(FUZZ))
def test_hostile_values_never_make_a_500(client, world, route):
    url = route.format(**world)

    @hypothesis_settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(name=st.sampled_from(FUZZ[route]), value=HOSTILE)
    def attempt(name: str, value: str) -> None:
        response = client.get(url, {name: value})
        assert response.status_code < 500, (url, name, value)
        if response.status_code == 400:
            assert _says_what_is_wrong(response, name), (url, name, value)

    attempt()


@pytest.mark.parametrize("period", ["0000-01", "9999-12", "0001-04"])
@pytest.mark.parametrize(
    "address",
    [
        "/partnerships/safer-plymouth/performance/{}/",
        "/partnerships/safer-plymouth/performance/{}.json",
        "/api/partnerships/safer-plymouth/reports/performance/{}/",
    ],
)
def test_a_month_out_of_range_in_the_address_is_not_found_not_a_500(client, world, address, period):
    # Found by the fuzzing above on ?period=: the report of year 0 or 9999 raised. An address is a
    # resource: a month outside FIRST_YEAR..LAST_YEAR does not exist (404).
    assert client.get(address.format(period)).status_code == 404
