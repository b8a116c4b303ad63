"""`counter-client` command-line parsing: good options, and clear errors for bad ones."""

from __future__ import annotations

import pytest

from counter_client.app import parse_options


def test_options_are_read():
    options = parse_options(
        ["--server", "10.0.0.5:7400", "--counter", "7", "--lang", "en", "--on-top",
         "--clerk", "1001", "--pin", "1234", "--keys", "call_next=F12"],
        env={"QUEUE_HALL_KEY": "secret"},
    )  # fmt: skip
    assert (options.host, options.port, options.counter) == ("10.0.0.5", 7400, 7)
    assert options.lang == "en" and options.on_top
    assert (options.clerk, options.pin, options.key) == ("1001", "1234", "secret")
    assert options.shortcuts["call_next"] == "F12"


def test_defaults_are_the_local_server_in_chinese():
    options = parse_options(["--counter", "3"], env={})
    assert (options.host, options.port) == ("127.0.0.1", 7310)
    assert options.lang == "zh_CN"
    assert options.key is None
    assert options.shortcuts["call_next"] == "F1"


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (
            ["--counter", "1", "--server", "hall:port"],
            "--server: server port 'port' is not a number",
        ),
        (
            ["--counter", "1", "--server", "hall:70000"],
            "--server: server port 70000 is out of range",
        ),
        ([], "--counter N is required"),
        (["--counter", "three"], "--counter: 'three' is not a counter number"),
        (["--counter", "0"], "--counter: 0 is out of range"),
        (["--counter", "1", "--clerk", "1001"], "--clerk and --pin go together"),
        (["--counter", "1", "--lang", "fr"], "--lang: unsupported interface language 'fr'"),
        (["--counter", "1", "--keys", "call_next=F2"], "--keys: key F2 is used for both"),
        (["--counter", "1", "--config", "/nonexistent/hall.toml"], "--config:"),
    ],
)
def test_bad_options_exit_with_the_problem_named(argv, problem, capsys):
    with pytest.raises(SystemExit) as exited:
        parse_options(argv, env={})
    assert exited.value.code == 2
    assert problem in capsys.readouterr().err
