"""The Backbone Pulumi program: wiring only (stack config -> spec -> components)."""

from components.program import main

main()
