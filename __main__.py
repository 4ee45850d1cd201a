"""The Backbone Pulumi program: wiring only (stack config -> spec -> components)."""

from backbone.components.program import main

main()
