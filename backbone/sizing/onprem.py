"""Cloud versus owned hardware for a sized cluster (``backbone size … --compare on-prem``).

The cluster is the sizing's best option (on ``--cloud`` when given): ``nodes`` × its instance type. Per month of
730 hours, at a utilization ``u`` (the share of hours the cluster is busy; 1 = steady, every hour):

- **cloud, on demand**: nodes × the node-hour price the sizing used (list price or your ``--prices`` rate) × 730 × u;
- **cloud, 1- or 3-year commitment** (your rate per node-hour, ``--commit-1y`` / ``--commit-3y``; the catalog holds
  no commitment prices): nodes × rate × 730, paid whether busy or not;
- **owned**: the capital (nodes × capital per node) paid at month 0, then each month power (nodes × node kW × PUE ×
  730 × u × USD per kWh), colocation (nodes × node kW × USD per kW-month) and operations (nodes × USD per
  node-month). Depreciation spreads the capital over the depreciation years for the break-even.

**Break-even utilization**: the ``u`` at which a month on demand costs what owning costs (depreciation +
colocation + operations + power at ``u``); above it, owning is cheaper. **Payback month**: the first month the
cumulative cloud cost (on demand at ``u``) reaches the cumulative cost of owning (capital + running costs), within
the depreciation years. Each assumption is named with where it came from (your input, or a cited source in
``backbone/data/onprem.yaml``); what is not given is named as not counted, never taken as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from backbone.core.catalog import HOURS_PER_MONTH
from backbone.core.data_yaml import read_yaml
from backbone.core.errors import ConfigError, Problem
from backbone.core.sizing import Option

__all__ = ["Assumption", "Comparison", "OwnedInputs", "compare"]


@dataclass(frozen=True)
class Assumption:
    """One figure the comparison rests on, and where it came from."""

    name: str
    value: float
    unit: str
    basis: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "unit": self.unit, "basis": self.basis}


@dataclass(frozen=True)
class OwnedInputs:
    """Your figures for owning the cluster (None: not given)."""

    capex_usd_per_node: float | None = None
    node_kw: float | None = None
    pue: float | None = None
    usd_per_kwh: float | None = None
    colocation_usd_per_kw_month: float | None = None
    operations_usd_per_node_month: float | None = None
    depreciation_years: float | None = None
    utilization: float = 1.0
    commit_1y_usd_per_node_hour: float | None = None
    commit_3y_usd_per_node_hour: float | None = None


@dataclass(frozen=True)
class Comparison:
    option: Option
    assumptions: tuple[Assumption, ...]
    not_counted: tuple[str, ...]
    cloud_monthly_usd: float
    commitments_monthly_usd: dict[str, float]
    owned_capex_usd: float
    owned_monthly_usd: float
    """Power, colocation and operations a month at the utilization (without the capital)."""
    depreciation_monthly_usd: float
    break_even_utilization: float | None
    """None: owning never costs less per month (the node-hour price does not cover the power)."""
    payback_month: int | None
    """None: not within the depreciation years."""
    months: int
    cumulative: dict[str, list[float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "cloud": self.option.cloud, "instance_type": self.option.instance_type, "nodes": self.option.nodes,
            "assumptions": [a.to_json() for a in self.assumptions],
            "not_counted": list(self.not_counted),
            "cloud_on_demand_monthly_usd": round(self.cloud_monthly_usd, 2),
            "cloud_commitments_monthly_usd": {k: round(v, 2) for k, v in self.commitments_monthly_usd.items()},
            "owned_capex_usd": round(self.owned_capex_usd, 2),
            "owned_running_monthly_usd": round(self.owned_monthly_usd, 2),
            "owned_depreciation_monthly_usd": round(self.depreciation_monthly_usd, 2),
            "break_even_utilization": None if self.break_even_utilization is None
            else round(self.break_even_utilization, 4),
            "payback_month": self.payback_month,
            "months": self.months,
            "cumulative_usd": {k: [round(v, 2) for v in vs] for k, vs in self.cumulative.items()},
        }


@cache
def _facts() -> dict[str, Any]:
    text = resources.files("backbone").joinpath("data", "onprem.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = read_yaml(text)
    return data


def _cited(key: str) -> str:
    source = _facts()["sources"][key]
    kind = ", secondary source" if source.get("source_kind") == "secondary" else ""
    return f"{source['title'].split(':')[0]} ({source['url']}, {source['as_of']}{kind})"


def _node_kw(option: Option, given: float | None) -> Assumption | None:
    if given is not None:
        return Assumption("node power", given, "kW", "your input (--node-kw)")
    for system in _facts()["systems"]:
        if system["accelerator"] == option.accelerator:
            kw = float(system["max_kw"]) * option.accelerators_per_node / int(system["accelerators"])
            return Assumption("node power", kw, "kW",
                              f"{system['system']} maximum {system['max_kw']} kW for {system['accelerators']} GPUs, "
                              f"× {option.accelerators_per_node}/{system['accelerators']}: {_cited(system['cite'])}")
    return None


def _required(problems: list[Problem], value: float | None, flag: str, why: str) -> float:
    if value is None:
        problems.append(Problem(flag, f"needed to compare with owned hardware: {why}"))
        return 0.0
    return value


def compare(option: Option, inputs: OwnedInputs) -> Comparison:
    """The comparison of ``option`` (its nodes, bought in the cloud) with owning the same nodes."""
    problems: list[Problem] = []
    capex = _required(problems, inputs.capex_usd_per_node, "--capex-per-node",
                      "the capital cost of one node in USD (no cited price of a node is in the catalog)")
    kwh = _required(problems, inputs.usd_per_kwh, "--usd-per-kwh", "what you pay for electricity, USD per kWh")
    years = _required(problems, inputs.depreciation_years, "--depreciation-years",
                      "the years the capital is spread over (your accounting policy)")
    node_kw = _node_kw(option, inputs.node_kw)
    if node_kw is None:
        problems.append(Problem("--node-kw", f"needed to compare with owned hardware: no vendor datasheet figure "
                                             f"for a node of {option.accelerators_per_node} × {option.accelerator} "
                                             "is in backbone/data/onprem.yaml; give the node's maximum power in kW"))
    if option.usd_per_hour is None:
        problems.append(Problem("--prices", f"{option.instance_type} has no price: give your rate"))
    if problems:
        raise ConfigError(problems)
    assert node_kw is not None and option.usd_per_hour is not None
    pue = (Assumption("PUE", inputs.pue, "ratio", "your input (--pue)") if inputs.pue is not None
           else Assumption("PUE", float(_facts()["pue"]["value"]), "ratio",
                           f"industry average: {_cited(_facts()['pue']['cite'])}"))
    u, nodes, hours = inputs.utilization, option.nodes, HOURS_PER_MONTH
    node_rate = option.usd_per_hour / nodes
    assumptions = [
        Assumption("cloud node-hour", node_rate, "USD", option.price_basis or "the sizing's price"),
        Assumption("nodes", nodes, "nodes", f"the sizing's best option, {option.cloud} {option.instance_type}"),
        Assumption("utilization", u, "share of hours busy", "your input (--utilization)"
                   if inputs.utilization != 1.0 else "steady use, every hour (default; --utilization)"),
        Assumption("capital per node", capex, "USD", "your input (--capex-per-node)"),
        node_kw, pue,
        Assumption("electricity", kwh, "USD per kWh", "your input (--usd-per-kwh)"),
        Assumption("depreciation", years, "years", "your input (--depreciation-years)"),
    ]
    not_counted = []
    colo = inputs.colocation_usd_per_kw_month
    ops = inputs.operations_usd_per_node_month
    if colo is None:
        not_counted.append("colocation (give --colocation-usd-per-kw-month)")
    else:
        assumptions.append(Assumption("colocation", colo, "USD per kW-month", "your input"))
    if ops is None:
        not_counted.append("operations staff and support (give --operations-usd-per-node-month)")
    else:
        assumptions.append(Assumption("operations", ops, "USD per node-month", "your input"))
    commitments = {name: rate for name, rate in (("1-year commitment", inputs.commit_1y_usd_per_node_hour),
                                                 ("3-year commitment", inputs.commit_3y_usd_per_node_hour))
                   if rate is not None}
    for name, rate in commitments.items():
        assumptions.append(Assumption(name, rate, "USD per node-hour", "your input"))
    if not commitments:
        not_counted.append("1- and 3-year commitment prices (not in the catalog; give --commit-1y / --commit-3y)")
    power_per_busy_month = nodes * node_kw.value * pue.value * hours * kwh
    fixed = nodes * (node_kw.value * (colo or 0.0) + (ops or 0.0))
    cloud = nodes * node_rate * hours * u
    owned = fixed + power_per_busy_month * u
    depreciation = nodes * capex / (12.0 * years)
    margin = nodes * node_rate * hours - power_per_busy_month
    break_even = (depreciation + fixed) / margin if margin > 0 else None
    months = max(1, math.ceil(12 * years))
    saving = cloud - owned
    payback = math.ceil(nodes * capex / saving) if saving > 0 else None
    if payback is not None and payback > months:
        payback = None
    cumulative = {"cloud on demand": [cloud * m for m in range(months + 1)],
                  "owned": [nodes * capex + owned * m for m in range(months + 1)]}
    for name, rate in commitments.items():
        cumulative[f"cloud {name}"] = [nodes * rate * hours * m for m in range(months + 1)]
    return Comparison(option, tuple(assumptions), tuple(not_counted), cloud,
                      {k: nodes * v * hours for k, v in commitments.items()}, nodes * capex, owned, depreciation,
                      break_even, payback, months, cumulative)


def _figure(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"


def _usd(v: float) -> str:
    return f"${v:,.0f}"


def summary_lines(c: Comparison) -> list[str]:
    u = next(a.value for a in c.assumptions if a.name == "utilization")
    verdict = ("owning never costs less a month: the node-hour price does not cover the node's power"
               if c.break_even_utilization is None else
               f"owning costs less a month above {c.break_even_utilization:.0%} utilization"
               + (" (more than every hour: the cloud stays cheaper)" if c.break_even_utilization > 1 else ""))
    payback = (f"pays back in month {c.payback_month}" if c.payback_month is not None
               else f"does not pay back within {c.months} months")
    lines = [
        f"{c.option.nodes} × {c.option.instance_type} ({c.option.cloud}), at {u:.0%} utilization:",
        f"  cloud on demand {_usd(c.cloud_monthly_usd)} a month"
        + "".join(f"; {k} {_usd(v)} a month" for k, v in c.commitments_monthly_usd.items()),
        f"  owned: {_usd(c.owned_capex_usd)} up front, then {_usd(c.owned_monthly_usd)} a month "
        f"(depreciation {_usd(c.depreciation_monthly_usd)} a month)",
        f"  {verdict}; owned hardware {payback}",
    ]
    return lines


def render_text(c: Comparison) -> str:
    lines = ["Cloud versus owned hardware", *summary_lines(c), "Assumptions:"]
    lines += [f"  {a.name}: {_figure(a.value)} {a.unit} — {a.basis}" for a in c.assumptions]
    lines += [f"  not counted: {n}" for n in c.not_counted]
    return "\n".join(lines)


def render_markdown(c: Comparison) -> str:
    lines = ["### Cloud versus owned hardware", "", *(f"- {line.strip()}" for line in summary_lines(c)), "",
             "| assumption | value | unit | from |", "| --- | --- | --- | --- |"]
    lines += [f"| {a.name} | {_figure(a.value)} | {a.unit} | {a.basis.replace('|', '/')} |" for a in c.assumptions]
    lines += ["", *(f"- not counted: {n}" for n in c.not_counted)]
    return "\n".join(lines)


def plot(c: Comparison, path: str) -> None:
    """A PNG of the cumulative costs over the months (needs matplotlib: ``pip install 'backbone[plot]'``)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ConfigError([Problem("--plot", "needs matplotlib, which is not installed: pip install "
                                             "'backbone[plot]' (or matplotlib)", path)]) from None
    figure, axes = plt.subplots(figsize=(8, 4.5))
    for name, series in c.cumulative.items():
        axes.plot(range(len(series)), series, label=name)
    axes.set_xlabel("month")
    axes.set_ylabel("cumulative USD")
    axes.set_title(f"{c.option.nodes} × {c.option.instance_type}: cloud versus owned")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)
