"""GitHub Actions annotations (``--format github``): one workflow command per finding, so that each shows on the
pull request's diff at its file and line (the program line that registered the resource in a hand-written
program, else the stack-file key behind it).

``::error file=F,line=L,title=T::message`` for a violation that blocks (mandatory), ``::warning`` for an advisory
one, ``::notice`` for what could not be verified and for a waived violation (with its reason). Values are
encoded as the Actions toolkit encodes them (``%`` ``\\r`` ``\\n`` in the message; also ``:`` and ``,`` in a
property), then any other control character is shown as an escape: nothing a pull request writes can end the
command early or start another one.
"""

from __future__ import annotations

from backbone.report.escape import terminal
from backbone.report.model import BLOCKING, Finding, PlanReport, StackReport

__all__ = ["command", "render"]


def _data(value: str) -> str:
    return terminal(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line: ``::kind key=value,…::message``, every part encoded."""
    props = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{kind}{' ' + props if props else ''}::{_data(message)}"


def _annotation(stack: StackReport, f: Finding) -> str:
    if f.cannot_verify:
        kind, label = "notice", "cannot verify in preview"
    elif f.waived:
        kind, label = "notice", "waived"
    else:
        kind, label = ("error" if f.level == BLOCKING else "warning"), f.level
    message = f"{f.resource}: {f.message}"
    if f.waiver is not None and f.waived:
        message += f"\nwaived until {f.waiver.expires} (owner {f.waiver.owner}): {f.waiver.reason}"
    elif f.waiver is not None:
        message += f"\nwaiver {f.waiver.source} expired on {f.waiver.expires}: the violation counts again"
    # the program line that registered the resource (a hand-written program), else the stack-file key
    file, line = (f.program_file, f.program_line) if f.program_file else (stack.file, f.line)
    return command(kind, message, file=file, line=line, title=f"{f.policy} ({label}) on {stack.stack}")


def render(report: PlanReport) -> str:
    lines = [_annotation(s, f) for s in report.stacks for f in (*s.violations, *s.waived, *s.cannot_verify)]
    lines += [command("warning", f"waiver {w.source} ({w.policy}, stack {w.stack}, resource {w.resource}) "
                                 f"matched nothing in this run: remove it or fix its globs", title="stale waiver")
              for w in report.stale_waivers]
    # a run that judged nothing, or whose policy config weakened a policy, says so on the run like every report
    if report.weakened_summary():
        lines.append(command("warning", report.weakened_summary(), title="policy config"))
    return "".join(line + "\n" for line in lines)
