from saferhub.domain.disclosure import SUPPRESSED
from saferhub.publishing.templatetags.published import published, signed_published


def test_a_suppressed_cell_reads_c_with_a_hidden_explanation():
    assert published(SUPPRESSED).startswith('<span class="sh-suppressed">[c]')
    assert "confidential: suppressed" in signed_published(SUPPRESSED)


def test_published_figures_read_as_the_internal_report_reads_them():
    assert published(12345) == "12,345"
    assert published(None) == "–"
    assert published(41.25, "percentage") == "41.3%"  # halves round up, as a reader expects


def test_a_published_change_is_signed_and_a_rates_change_is_in_points():
    assert signed_published(15) == "+15"
    assert signed_published(-3) == "-3"
    assert signed_published(0) == "0"
    assert signed_published(2.5, "percentage") == "+2.5 pts"
    assert signed_published(None) == "–"
