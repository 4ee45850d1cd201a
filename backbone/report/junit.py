"""JUnit XML, the test report GitLab CI, Jenkins and Azure DevOps read: one ``testsuite`` per stack, one
``testcase`` per stack × policy, one ``failure`` per violation (its type the enforcement level). A waived
violation fails nothing: it is told in the testcase's ``system-out`` with its reason, like what could not be
verified; a policy the config disables is ``skipped``.

The shape follows the JUnit schema Jenkins publishes (``junit-10.xsd``: ``testsuites`` > ``testsuite`` >
``testcase`` > ``skipped``, ``failure``\\*, ``system-out``). Every text and attribute is escaped by the XML
writer, and control characters (which XML 1.0 cannot carry at all) are shown as escapes first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from backbone.report.escape import terminal
from backbone.report.model import Finding, PlanReport, StackReport

__all__ = ["render"]


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """Text XML 1.0 can carry: control characters, lone surrogates and non-characters shown as escapes
    (newlines kept as whitespace)."""
    lines = (terminal(line.replace("\t", " ")) for line in value.split("\n"))
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", "\n".join(lines))


def _policies(report: PlanReport, stack: StackReport) -> list[str]:
    names = list(report.policies) or []
    names += sorted({f.policy for f in stack.findings} - set(names))
    return names


def _described(f: Finding) -> str:
    return f"{f.resource}: {f.message}"


def _testcase(report: PlanReport, stack: StackReport, policy: str) -> tuple[ET.Element, int, bool]:
    case = ET.Element("testcase", {"name": _text(policy), "classname": _text(f"backbone.{stack.stack}"),
                                   "file": _text(stack.file)})
    violations = [f for f in stack.violations if f.policy == policy]
    waived = [f for f in stack.waived if f.policy == policy]
    unknown = [f for f in stack.cannot_verify if f.policy == policy]
    info = report.policies.get(policy)
    level = report.levels.get(policy, info.level if info else "")
    skipped = level == "disabled" and not (violations or waived or unknown)
    if skipped:
        ET.SubElement(case, "skipped", {"message": "disabled by the policy config"})
    for f in violations:
        note = f" (waiver {f.waiver.source} expired on {f.waiver.expires})" if f.waiver else ""
        failure = ET.SubElement(case, "failure", {"message": _text(_described(f).split("\n")[0][:500] + note),
                                                  "type": _text(f.level)})
        where = f"\nat {stack.file}:{f.line} ({f.config_path})" if f.config_path and f.line else ""
        failure.text = _text(f"{f.level}: {_described(f)}{note}{where}")
    out = [f"waived ({f.waiver.reason}; owner {f.waiver.owner}, until {f.waiver.expires}): {_described(f)}"
           for f in waived if f.waiver]
    out += [f"cannot verify in preview: {_described(f)}" for f in unknown]
    if out:
        ET.SubElement(case, "system-out").text = _text("\n".join(out))
    return case, len(violations), skipped


def _suite(report: PlanReport, stack: StackReport) -> tuple[ET.Element, int, int, int]:
    suite = ET.Element("testsuite", {"name": _text(stack.stack)})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("cloud", stack.cloud), ("file", stack.file), ("verdict", stack.verdict)):
        ET.SubElement(properties, "property", {"name": name, "value": _text(value)})
    tests = failures = skipped = 0
    for policy in _policies(report, stack):
        case, failed, was_skipped = _testcase(report, stack, policy)
        suite.append(case)
        tests += 1
        failures += failed
        skipped += was_skipped
    suite.attrib.update({"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": str(skipped)})
    return suite, tests, failures, skipped


def render(report: PlanReport) -> str:
    root = ET.Element("testsuites", {"name": f"backbone {report.command}"})
    tests = failures = skipped = 0
    for stack in report.stacks:
        suite, t, f, s = _suite(report, stack)
        root.append(suite)
        tests, failures, skipped = tests + t, failures + f, skipped + s
    root.attrib.update({"tests": str(tests), "failures": str(failures), "errors": "0", "disabled": str(skipped)})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
