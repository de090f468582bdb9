"""Flows: YAML read into validated specs (with file:line problems), linted, compiled into
`transitions` machines, drawn and extracted for translation.

`yamlsource` and `texts` are internal; the other modules are this layer's public surface.
"""

__all__ = ["conditions", "extract", "graph", "library", "lint", "lint_catalogs", "lint_html",
           "lint_labels", "lint_names", "lint_templates", "machine", "parse", "spec",
           "telegram_html"]
