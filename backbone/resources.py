"""From an offline ``Preview`` to the ``PolicyResource`` objects a stack policy receives.

This mirrors, step for step, how the pack's servicer (``pulumi_policy``'s ``AnalyzeStack``) builds them from
the request ``backbone.analyzer.PolicyPack.analyze_stack`` sends: properties through
``deserialize_properties(MessageToDict(struct))`` wrapped in ``unknown_checking_proxy`` (an unknown value
raises ``UnknownValueError`` when read), options carrying the parent URN, then parent, dependencies and
property dependencies resolved to the resource objects by URN (URNs outside the stack are dropped, as
there). ``backbone plan`` computes its capacity summary from the pack's inventory over these objects, so
the summary and the verdict read the same facts the same way.
"""

from __future__ import annotations

from google.protobuf import json_format
from pulumi_policy import PolicyCustomTimeouts, PolicyProviderResource, PolicyResource, PolicyResourceOptions
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from backbone.engine import Preview, RecordedResource

__all__ = ["policy_provider", "policy_resource", "policy_resources"]


def policy_provider(recorded: RecordedResource | None) -> PolicyProviderResource | None:
    """A resource's provider as the servicer builds ``PolicyResource.provider`` from the request's provider."""
    if recorded is None:
        return None
    props = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(recorded.properties)))
    return PolicyProviderResource(recorded.type, props, recorded.urn, recorded.name)


def policy_resource(recorded: RecordedResource, provider: RecordedResource | None = None) -> PolicyResource:
    """One resource as the servicer builds it, before parent and dependencies are linked."""
    props = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(recorded.properties)))
    opts = PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=recorded.parent or None,
    )
    return PolicyResource(recorded.type, props, recorded.urn, recorded.name, opts, policy_provider(provider), None,
                          [], {})


def policy_resources(preview: Preview) -> list[PolicyResource]:
    """Every resource of ``preview`` (its default providers first), linked to its provider, parent,
    dependencies and property dependencies."""
    every = [*preview.providers, *preview.resources]
    providers = {r.urn: r for r in every if r.type.startswith("pulumi:providers:")}
    built = [(recorded, policy_resource(recorded, providers.get(recorded.provider))) for recorded in every]
    by_urn = {resource.urn: resource for _, resource in built}
    for recorded, resource in built:
        if recorded.parent in by_urn:
            resource.parent = by_urn[recorded.parent]
        resource.dependencies.extend(by_urn[urn] for urn in recorded.dependencies if urn in by_urn)
        for key, urns in recorded.property_dependencies.items():
            resource.property_dependencies[key] = [by_urn[urn] for urn in urns if urn in by_urn]
    return [resource for _, resource in built]
