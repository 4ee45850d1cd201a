"""The Backbone CrossGuard policy pack. ``policies/__main__.py`` only assembles the pack."""
