import io

from saferhub.domain.policeuk import (
    CRIME_TYPES,
    STANDARD_INDICATORS,
    check_header,
    find_problem,
    local_authority_of,
    month_from_filename,
)

HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"


def test_local_authority_from_lsoa_name():
    assert local_authority_of("Plymouth 001A") == "Plymouth"
    assert local_authority_of("Kingston upon Hull, City of 012B") == "Kingston upon Hull, City of"
    assert local_authority_of("") is None
    assert local_authority_of("Plymouth") is None


def test_standard_indicators_are_coded_by_api_slugs():
    codes = [s.code for s in STANDARD_INDICATORS]
    assert set(CRIME_TYPES.values()) <= set(codes)
    assert "all-crime" in codes and "serious-acquisitive-crime" in codes
    all_crime = next(s for s in STANDARD_INDICATORS if s.code == "all-crime")
    assert "anti-social-behaviour" not in all_crime.crime_types and len(all_crime.crime_types) == 13
    sac = next(s for s in STANDARD_INDICATORS if s.code == "serious-acquisitive-crime")
    assert set(sac.crime_types) == {"burglary", "robbery", "vehicle-crime"}


def test_month_from_filename():
    assert month_from_filename("2019-01-devon-and-cornwall-street.csv") == "2019-01"
    assert month_from_filename("crimes.csv") is None


def test_header_problems_name_the_column():
    problem = check_header("f.csv", HEADER.replace("Crime type", "Offence").split(","))
    assert problem.line == 1 and problem.field == "Crime type"
    assert check_header("f.csv", HEADER.split(",") + ["Extra"]) is None


def scan(text, month="2019-01"):
    return find_problem("f.csv", io.StringIO(text, newline=""), month)


def test_problem_lines_are_exact():
    good = ",2019-01,P,P,,,x,E01,Plymouth 001A,Burglary,,"
    assert scan(f"{HEADER}\n{good}\n{good}\n") is None
    p = scan(f"{HEADER}\n{good}\n,2019-13,P,P,,,x,E01,Plymouth 001A,Burglary,,\n")
    assert (p.line, p.field) == (3, "Month") and "2019-13" in p.message
    p = scan(f"{HEADER}\n{good}\n{good}\n,2019-01,P,P,,,x,E01,Ply")
    assert p.line == 4 and "truncated" in p.message
    p = scan(f"{HEADER}\n,2019-01,P,P,,,x,E01,Plymouth 001A,Burglery,,\n")
    assert (p.line, p.field) == (2, "Crime type")
    p = scan(f"{HEADER}\n,2019-02,P,P,,,x,E01,Plymouth 001A,Burglary,,\n")
    assert (p.line, p.field) == (2, "Month")
