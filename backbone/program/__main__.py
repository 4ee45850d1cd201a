"""Backbone's own Pulumi program, shipped in the package: ``backbone plan`` runs it on Backbone stack files
from any folder (the checkout's ``__main__.py`` and ``backbone init``'s projects make the same call)."""

from backbone.components.program import main

main()
