"""`queue-hall hardware`: call keypads and LED screens on serial buses, joined to the hall.

The bridge opens the serial buses named in the hall file's [hardware] section, speaks to
each device through its driver (`hall_hardware.drivers`), and joins the hall server over
the hall protocol: one counter connection per keypad, one display connection for the
screens. It never opens the database.

    config = load_hardware(path)           # hall_hardware.config
    bridge = Bridge(config, host, port)    # hall_hardware.bridge
    await bridge.run()

`hall_hardware.sim` simulates keypads and screens on pty pairs (tests, demo, bench).
"""
