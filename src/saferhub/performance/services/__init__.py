"""Writes for the performance app. Each service is one transaction: it either does all its
work or raises and leaves the database as it was."""

from .catalogue import IndicatorError, catalogue_import, indicator_retire, indicator_save, targets_set_year
from .comments import comment_set
from .indicator_import import indicators_import
from .policeuk_import import policeuk_import
from .standard import standard_indicators_add

__all__ = [
    "IndicatorError",
    "catalogue_import",
    "indicator_retire",
    "indicator_save",
    "targets_set_year",
    "comment_set",
    "indicators_import",
    "policeuk_import",
    "standard_indicators_add",
]
