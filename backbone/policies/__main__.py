"""The Backbone CrossGuard policy pack: assembles the rules, nothing else.

``pulumi preview --policy-pack policies`` starts it as ``python -u -m pulumi.policy <engine> policies``.
"""

import sys
from pathlib import Path

# The pack runs with its own folder as the working directory. The folder holding the ``backbone`` package goes
# first on the path: the checkout's root (``policies`` is a link to ``backbone/policies``) or site-packages.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pulumi_policy import EnforcementLevel, PolicyPack

from backbone.policies.rules import ALL_POLICIES
from backbone.policies.servicer import install

install()  # one conversion of the resources per AnalyzeStack, shared by the 19 policies (policies/servicer.py)
PolicyPack(
    name="backbone",
    policies=ALL_POLICIES,
    enforcement_level=EnforcementLevel.ADVISORY,
    description="Blocks oversized and unbalanced AI accelerator infrastructure on AWS, GCP and Azure.",
)
