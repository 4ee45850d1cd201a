"""``backbone docs --output FILE``: writes the policy reference from the rules (never without ``--output``: an
installed Backbone has no docs folder of its own); ``python -m backbone.docs`` writes it and the tables of what the
pack reads (from the reader registry) in the checkout, and ``--check`` says when either has drifted."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone import docs
from backbone.cli import main
from backbone.policies.rules import ALL_POLICIES


@pytest.fixture
def reads_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the "how the pack reads programs" page (the command rewrites its generated tables in place)."""
    path = tmp_path / "docs" / "how-the-pack-reads-programs.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(docs.READS_PAGE.read_text())
    monkeypatch.setattr(docs, "READS_PAGE", path)
    return path


@pytest.fixture
def reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads_page: Path) -> Path:
    path = tmp_path / "docs" / "reference" / "policies.md"
    monkeypatch.setattr(docs, "POLICY_REFERENCE", path)
    return path


def test_it_writes_every_policy_with_its_level_and_config(reference: Path) -> None:
    assert main(["docs", "--output", str(reference)]) == 0
    text = reference.read_text()
    for policy in ALL_POLICIES:
        assert f"## `{policy.name}`\n\n**{policy.level.value}** · {policy.description}." in text
        for key in policy.config:
            assert f"| `{key}` |" in text
    assert "| `poolLimit` | integer ≥ 0 | `512` |" in text
    assert "`backbone:cluster.storage[i].throughputMBpsPerTiB`" in text


def test_check_fails_on_a_drifted_reference_and_passes_on_a_fresh_one(
        reference: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docs.main(["--check"]) == 1  # not written yet
    assert "run `python -m backbone.docs`" in capsys.readouterr().err
    assert docs.main([]) == 0
    assert docs.main(["--check"]) == 0
    reference.write_text(reference.read_text().replace("`512`", "`500`"))
    assert docs.main(["--check"]) == 1


def test_the_command_writes_only_where_it_is_told(reference: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["docs"])
    assert exit_.value.code == 2
    assert "the following arguments are required: --output/-o" in capsys.readouterr().err
    assert not reference.exists()


def test_check_fails_on_a_drifted_reads_table(reference: Path, reads_page: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert docs.main([]) == 0
    assert docs.main(["--check"]) == 0
    reads_page.write_text(reads_page.read_text().replace("`aws:batch/computeEnvironment:ComputeEnvironment`", "`x`"))
    assert docs.main(["--check"]) == 1
    assert "how-the-pack-reads-programs.md is out of date" in capsys.readouterr().err
    assert docs.main([]) == 0
    assert "`aws:batch/computeEnvironment:ComputeEnvironment`" in reads_page.read_text()
