"""The lobby display board: view-model, Qt board, `display-board` command, voice announcer."""
