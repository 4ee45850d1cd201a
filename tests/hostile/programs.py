"""Hand-written user programs that misbehave the way the program-in-its-own-process promises are about, and a
folder to put one in as a Pulumi project; shared by the checkout's tests (``test_program_process``) and the
installed wheel's (``tests/backbone/test_installed.py``)."""

from __future__ import annotations

from pathlib import Path

NODE_GROUP = """
import pulumi_aws as aws

aws.eks.NodeGroup(
    "h100",
    cluster_name="c",
    node_role_arn="arn:aws:iam::123456789012:role/nodes",
    subnet_ids=["subnet-0abc"],
    instance_types=["p5.48xlarge"],
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(min_size=0, max_size=2, desired_size=0),
)
"""
"""A hand-written program (no Backbone components): one EKS node group of 2 × p5.48xlarge (8 H100 each)."""

WRITES_TO_FD_1 = ("import os, sys\nos.write(1, b'{raw fd 1, not json\\n')\nprint('printed')\n"
                  "sys.stderr.write('to fd 2\\n')\nos.system('echo from a child of the program')\n" + NODE_GROUP)
"""``NODE_GROUP`` after writing to file descriptors 1 and 2 itself, through print, and from a child process."""

SPINS = (
    "import os, signal\n"
    "for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
    "    signal.signal(sig, signal.SIG_IGN)\n"
    "for _ in range(3):\n"
    "    if os.fork() == 0:\n"
    "        break\n"
    "with open('pids', 'a') as out:\n"
    "    out.write(f'{os.getpid()} {os.getpgrp()}\\n')\n"
    "while True:\n"
    "    pass\n"
)
"""Ignores SIGALRM, SIGTERM, SIGINT and SIGHUP, forks three children and spins in all four; each writes its pid
and process group to ``pids`` in the project folder."""

OWN_COMPONENTS = {
    "components/__init__.py": "MARK = 'mine'\n",
    "components/pools.py": "def gpu_pool():\n" + "".join(f"    {line}\n" for line in NODE_GROUP.strip().splitlines()),
}
USES_OWN_COMPONENTS = ("import components\nfrom components.pools import gpu_pool\n"
                       "assert components.MARK == 'mine', components.__file__\ngpu_pool()\n")
"""A program whose own top-level ``components`` package builds ``NODE_GROUP`` (the name Backbone's components
had before they moved under ``backbone``)."""


def project(root: Path, program: str, stacks: tuple[str, ...] = ("dev",),
            files: dict[str, str] | None = None) -> Path:
    """A Pulumi Python project at ``root``: ``program`` as ``__main__.py``, ``files`` beside it, one us-east-1
    stack file per name in ``stacks``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    for stack in stacks:
        (root / f"Pulumi.{stack}.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (root / "__main__.py").write_text(program)
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def spun(root: Path) -> tuple[set[int], set[int]]:
    """The pids and process groups the ``SPINS`` program in ``root`` wrote."""
    words = (root / "pids").read_text().split()
    return {int(p) for p in words[0::2]}, {int(g) for g in words[1::2]}


def group_members(pgid: int) -> list[int]:
    """Running (not zombie) processes of process group ``pgid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found
