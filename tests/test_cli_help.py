"""Every command has help text with an example (a command without one fails here)."""
from click.testing import CliRunner

from kjqg_graph.cli import cli


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    names = []
    for path, cmd in _commands(cli):
        names.append(" ".join(path))
        res = runner.invoke(cli, [*path, "--help"])
        assert res.exit_code == 0, res.output
        if not hasattr(cmd, "commands"):
            assert "Example:" in res.output, f"`kjqg {' '.join(path)}` has no Example in its help"
        assert (cmd.help or "").strip(), f"`kjqg {' '.join(path)}` has no help text"
    for core in ["init", "stats", "chains", "show", "validate", "synth"]:
        assert core in names
