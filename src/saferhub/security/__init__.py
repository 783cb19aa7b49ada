"""Cross-cutting security: response headers, error pages with a reference, safe exports."""
