"""The display-board command line: every bad argument is named; good ones build the board."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from display_board import app


@pytest.fixture(autouse=True)
def root_logging():
    """main() sets up the process's logging; the tests after these keep pytest's."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--server", "hall:port"], "--server: server port 'port' is not a number"),
        (["--server", "hall:70000"], "--server: server port 70000 is out of range"),
        (["--screen", "two"], "--screen: 'two' is not a screen number"),
        (["--screen", "-1"], "--screen: -1 is not a screen number"),
        (["--voice", "loud"], "--voice: 'loud' is not a voice mode; use auto, qt, clips, off"),
        (["--lang", "fr"], "--lang: unsupported interface language 'fr'"),
        (["--config", "/nonexistent/hall.toml"], "--config: "),
        (["--fullscreen", "--colour", "red"], "unrecognized arguments: --colour red"),
    ],
)
def test_bad_arguments_exit_with_a_message_naming_them(capsys, argv, problem):
    with pytest.raises(SystemExit) as exit_info:
        app.parse_options(argv, env={})
    assert exit_info.value.code == 2
    assert problem in capsys.readouterr().err


def test_good_arguments_are_read(tmp_path):
    options = app.parse_options(
        [
            "--server",
            "10.0.0.5:7400",
            "--fullscreen",
            "--screen",
            "1",
            "--voice",
            "off",
            "--lang",
            "en",
        ],
        env={},
    )
    assert (options.host, options.port) == ("10.0.0.5", 7400)
    assert options.fullscreen and options.screen == 1
    assert (options.voice, options.lang) == ("off", "en")


def test_defaults_come_from_the_hall_file(tmp_path):
    hall = tmp_path / "hall.toml"
    hall.write_text(
        '[hall]\nname = "东湖街道便民服务中心"\nnotice = "请保管好随身物品"\n'
        '[server]\nhost = "192.168.1.20"\nport = 7399\n',
        encoding="utf-8",
    )
    options = app.parse_options(["--config", str(hall)], env={})
    assert (options.host, options.port) == ("192.168.1.20", 7399)
    assert options.config.hall_name == "东湖街道便民服务中心"
    assert options.config.board_notice == "请保管好随身物品"
    assert options.screen is None and options.voice == "auto" and not options.fullscreen


def test_screen_out_of_range_is_named(qapp, capsys):
    assert (
        app.main(["--screen", "9", "--voice", "off", "--lang", "en", "--server", "127.0.0.1:9"])
        == 2
    )
    err = capsys.readouterr().err
    assert "--screen 9: this computer has only 1 screen: 0 = " in err, err  # offscreen: one


def test_list_screens_numbers_them_from_0_and_stops(qapp, capsys):
    assert app.main(["--list-screens", "--voice", "off", "--server", "127.0.0.1:9"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 screen: 0 = ") and "x" in out, out


def test_voice_off_builds_no_announcer_and_clips_builds_one(qapp):
    config = app.parse_options([], env={}).config
    assert app.build_announcer("off", "zh_CN", config) is None
    announcer = app.build_announcer("clips", "zh_CN", config)
    assert announcer is not None and announcer.repeats == config.announce_times


def test_board_shows_the_hall_from_the_file_before_the_server_answers(qtbot, tmp_path):
    hall = tmp_path / "hall.toml"
    hall.write_text(
        '[hall]\nname = "东湖街道便民服务中心"\nnotice = "请保管好随身物品"\n', encoding="utf-8"
    )
    options = app.parse_options(["--config", str(hall)], env={})
    # Port 9 on loopback: nothing answers, the board waits calmly and keeps trying.
    board = app.build_board("127.0.0.1", 9, config=options.config, reconnect_min_s=0.05)
    qtbot.addWidget(board)
    try:
        assert board.hall_label.text() == "东湖街道便民服务中心"
        assert board.ticker.text() == "请保管好随身物品"
        qtbot.waitUntil(board.connection_mark_visible)
        assert "127.0.0.1:9" in board.connection_mark.text()
    finally:
        board.connection.stop()


def test_board_without_a_hall_file_names_no_hall_and_shows_the_address_it_tries(qtbot):
    """A board pointed at the wrong port says where it is knocking, under no sample hall name."""
    options = app.parse_options([], env={})
    board = app.build_board("127.0.0.1", 9, config=options.config, reconnect_min_s=0.05)
    qtbot.addWidget(board)
    try:
        assert options.config.hall_name  # the demo has a sample name, which must not show
        assert board.hall_label.text() == ""
        qtbot.waitUntil(board.connection_mark_visible)
        assert "127.0.0.1:9" in board.connection_mark.text()
    finally:
        board.connection.stop()


def test_board_for_counters_the_hall_lacks_says_so_to_staff(qtbot, hall_server):
    hall_size = len(hall_server.config.counters)
    first, last = hall_size + 1, hall_size + 36
    board = app.build_board(
        hall_server.host,
        hall_server.port,
        config=hall_server.config,
        reconnect_min_s=0.05,
        counters=frozenset(range(first, last + 1)),
    )
    qtbot.addWidget(board)
    board.show()
    try:
        qtbot.waitUntil(lambda: board.model.seq is not None)
        assert board.hall_label.text() == hall_server.config.hall_name
        assert board.staff_note.isVisible()
        note = board.staff_note.text()
        assert f"{first}-{last}" in note and f"1-{hall_size}" in note
    finally:
        board.connection.stop()


def _run_board(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    env.pop("DISPLAY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "display_board.app", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_real_program_rejects_a_bad_voice_mode():
    process = _run_board("--voice", "loud")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "--voice: 'loud' is not a voice mode" in err


def test_real_program_starts_fullscreen_and_syncs_with_the_server(hall_server):
    server = f"{hall_server.host}:{hall_server.port}"
    process = _run_board("--server", server, "--fullscreen", "--voice", "off", "--lang", "zh_CN")
    try:
        assert process.stderr is not None
        seen = []
        for line in process.stderr:  # ends when the program ends; pytest-timeout guards a hang
            seen.append(line)
            if "board shows the hall as of event" in line:
                break
        assert any("board shows the hall as of event" in line for line in seen), "".join(seen)
        assert process.poll() is None  # still running, showing the hall
    finally:
        process.terminate()
        process.wait(timeout=30)
