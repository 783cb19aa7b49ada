"""The set-up workbook (issue 15): `saferhub setup template` writes it, `saferhub setup load`
loads a partnership's whole set-up from it, all or nothing. It sits above the other apps and
writes through their services."""
