"""What every layer of Backbone shares — the components, the policy pack and the command: the one error hierarchy
(``errors``), the words of the stack config and the components (``vocabulary``), the node labels the components set
and the pack reads (``labels``), the catalog of instance facts and prices (``catalog``), the ``backbone:workload``
models (``workload``, on the stack-config base model of ``spec_model``) and the sizing model over both (``sizing``).
It imports nothing else of Backbone and no provider SDK, so every layer can import it.
"""
