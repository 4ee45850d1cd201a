"""CrossGuard's Analyzer servicer, converting a stack's resources once per ``AnalyzeStack`` instead of once per
stack policy.

``pulumi_policy`` (1.21) builds every resource of the request again for each stack policy — ``MessageToDict``,
``deserialize_properties``, the unknown-checking proxy, the parent and dependency links — about two thirds of
the pack's work with 19 policies. Our rules only read the resources, so one conversion serves them all, and one
list object handed to every policy of one request lets them share one inventory (``backbone.policies.inventory.build``
caches on that list's identity). Everything else is the library's: the policies it lists (``GetAnalyzerInfo``:
each rule with its own name, level and config schema), the configuration, ``Analyze``, the order in which the
policies run, how violations and "can't run policy … during preview" diagnostics are reported.

A waived violation (``policies.waivers``) is reported through a second reporter at the advisory level; the
stock servicer has none, and there a waived violation keeps its policy's level (the waiver is named, not applied).

``install()`` makes ``pulumi_policy.PolicyPack`` serve this class; when the library no longer has the private
pieces it relies on, it changes nothing and the stock servicer runs (slower, same verdicts).
"""

from __future__ import annotations

import asyncio
from inspect import isawaitable
from typing import Any

from google.protobuf import json_format
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel, PolicyResource, StackValidationArgs, StackValidationPolicy
from pulumi_policy import policy as crossguard
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from backbone.core.catalog import use_catalog_files

__all__ = ["SharedConversionServicer", "convert", "install"]

_STOCK: Any = getattr(crossguard, "_PolicyAnalyzerServicer", object)
_PRIVATE = "_PolicyAnalyzerServicer__"
_NEEDED = ("_get_enforcement_level", "_create_report_violation", "_get_resource_options",
           "_get_provider_resource", "_get_policy_config", "_map_enforcement_level", "_configure_runtime_settings")


def convert(servicer: Any, request: Any) -> list[PolicyResource]:
    """The request's resources as ``pulumi_policy``'s ``AnalyzeStack`` builds them, step for step: properties,
    options and provider of each, then parent, dependencies and property dependencies linked by URN."""
    resources: list[PolicyResource] = []
    links = []
    for r in request.resources:
        props = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(r.properties)))
        resource = PolicyResource(r.type, props, r.urn, r.name, servicer._get_resource_options(r),
                                  servicer._get_provider_resource(r), None, [], {})
        resources.append(resource)
        links.append((resource, r.parent, list(r.dependencies),
                      {k: list(v.urns) for k, v in r.propertyDependencies.items()}))
    by_urn = {r.urn: r for r in resources}
    for resource, parent, dependencies, property_dependencies in links:
        if parent is not None and parent in by_urn:
            resource.parent = by_urn[parent]
        resource.dependencies.extend(by_urn[d] for d in dependencies if d in by_urn)
        for key, urns in property_dependencies.items():
            resource.property_dependencies[key] = [by_urn[d] for d in urns if d in by_urn]
    return resources


class _Report:
    """CrossGuard's ``report_violation`` at the policy's level, and ``advisory``: the same at the advisory level,
    for a violation a waiver accepts (``policies.waivers``), which must not fail the preview."""

    def __init__(self, report: Any, advisory: Any) -> None:
        self._report = report
        self.advisory = advisory

    def __call__(self, message: str, urn: str | None = None) -> None:
        self._report(message, urn)


class SharedConversionServicer(_STOCK):  # type: ignore[misc]
    """``pulumi_policy``'s servicer whose ``AnalyzeStack`` converts the resources once, for every policy."""

    def AnalyzeStack(self, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        pack_name = getattr(self, _PRIVATE + "policy_pack_name")
        pack_version = getattr(self, _PRIVATE + "policy_pack_version")
        resources: list[PolicyResource] | None = None
        files = (self._get_policy_config("known-accelerator") or {}).get("catalogFiles") or []
        use_catalog_files([str(f) for f in files])  # the pack config's catalog files, for every rule
        for policy in getattr(self, _PRIVATE + "policies"):
            level = self._get_enforcement_level(policy)
            if level == EnforcementLevel.DISABLED or not isinstance(policy, StackValidationPolicy):
                continue
            if level == EnforcementLevel.REMEDIATE:
                level = EnforcementLevel.MANDATORY  # as the library: a stack policy cannot remediate
            report = _Report(self._create_report_violation(response, policy.name, policy.description, level,
                                                           policy.severity),
                             self._create_report_violation(response, policy.name, policy.description,
                                                           EnforcementLevel.ADVISORY, policy.severity))
            if resources is None:
                resources = convert(self, request)
            args = StackValidationArgs(resources, self._get_policy_config(policy.name),
                                       getattr(self, _PRIVATE + "stack_tags"))
            try:
                result = policy.validate(args, report)
                if isawaitable(result):
                    loop = asyncio.new_event_loop()
                    loop.run_until_complete(result)
                    loop.close()
            except UnknownValueError as e:
                response.diagnostics.append(proto.AnalyzeDiagnostic(
                    policyName=policy.name,
                    policyPackName=pack_name,
                    policyPackVersion=pack_version,
                    message=(f"can't run policy '{policy.name}' from policy pack '{pack_name}@v{pack_version}' "
                             f"during preview: {e.message}"),
                    urn="",
                    description=policy.description,
                    enforcementLevel=self._map_enforcement_level(EnforcementLevel.ADVISORY),
                ))
            except crossguard._NotApplicableError as e:
                response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name,
                                                                         reason=e.reason or ""))
        return response


def supported() -> bool:
    """Whether the installed ``pulumi_policy`` has the private pieces ``SharedConversionServicer`` uses."""
    if _STOCK is object or not hasattr(crossguard, "_NotApplicableError"):
        return False
    stock_init = _STOCK.__init__.__code__
    fields = ("policy_pack_name", "policy_pack_version", "policies", "stack_tags")
    return (all(hasattr(_STOCK, name) for name in _NEEDED)
            and all(f"__{field}" in stock_init.co_names or _PRIVATE + field in stock_init.co_names
                    for field in fields))


def install() -> bool:
    """Make ``pulumi_policy.PolicyPack`` serve ``SharedConversionServicer`` (in the pack's process only);
    ``False`` (and nothing changed) when the library lacks what it relies on."""
    if not supported():
        return False
    crossguard._PolicyAnalyzerServicer = SharedConversionServicer  # type: ignore[misc]
    return True
