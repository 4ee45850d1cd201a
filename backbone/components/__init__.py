"""Backbone components: reusable Pulumi ComponentResources for AI accelerator infrastructure.

Layering runs one way: ``components`` <- ``policies`` <- ``backbone``. Nothing here imports the pack or
the command. Cloud submodules (``backbone.components.aws``, ``.gcp``, ``.azure``) import their
provider SDK lazily by submodule, never the whole provider package tree.
"""
