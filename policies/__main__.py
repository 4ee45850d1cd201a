"""The Backbone CrossGuard policy pack: assembles the rules, nothing else.

``pulumi preview --policy-pack policies`` starts it as ``python -u -m pulumi.policy <engine> policies``.
"""

import sys
from pathlib import Path

# The pack runs with ``policies/`` as its working directory; the project root holds ``components``.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.rules import ALL_POLICIES
from policies.servicer import install

install()  # one conversion of the resources per AnalyzeStack, shared by the 18 policies (policies/servicer.py)
PolicyPack(
    name="backbone",
    policies=ALL_POLICIES,
    enforcement_level=EnforcementLevel.ADVISORY,
    description="Blocks oversized and unbalanced AI accelerator infrastructure on AWS, GCP and Azure.",
)
