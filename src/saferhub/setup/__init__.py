"""Setting up a partnership (issue 15), on the pages at /setup/ (the task list "Set up your
partnership", with its partnership, area, organisation, indicator and target pages) or from the
set-up workbook: `saferhub setup template` writes it, `saferhub setup load` loads a partnership's
whole set-up from it, all or nothing. It sits above the other apps and
writes through their services."""
