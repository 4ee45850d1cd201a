"""What every layer of Backbone shares — the components, the policy pack and the command: the one error hierarchy
(``errors``), the words of the stack config and the components (``vocabulary``), and the node labels the
components set and the pack reads (``labels``). It imports nothing else of Backbone, so every layer can import it.
"""
