"""CPU of call_next inside the hall service, without sockets: `python -m bench.profile`.

Builds the bench hall (24 counters, 25,000 waiting tickets), logs the 24 clerks in and runs
`call_next` in 24-call batches as the saturation phase does. Prints the CPU per call_next and,
with `--profile`, cProfile's top functions (the SQL statements per call_next are the
`execute` calls divided by the calls made).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from bench.history import TZ, add_waiting
from bench.server_load import write_config
from shared.config.hall import load_config
from shared.domain.clock import business_day
from shared.protocol.ops import Request
from shared.server.service import Caller, HallService
from shared.server.store import HallStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hall-profile-") as tmp:
        folder = Path(tmp)
        config = load_config(write_config(folder))
        db = folder / "profile.db"
        HallService(HallStore(db), config).store.close()
        now = datetime.now(TZ)
        add_waiting(db, config.catalog, 25_000, business_day(now, config.day_reset), now)
        service = HallService(HallStore(db), config)
        counters = []
        for n in range(1, 25):
            caller = Caller(role="counter", client=f"c{n}", counter=n)
            login = Request(1, "login", {"clerk": f"b{n:02d}", "pin": "2468"})
            _, (outcome,) = service.run_batch([(caller, login)])
            caller.clerk = outcome.clerk
            counters.append(caller)

        def batches(count: int) -> None:
            for _ in range(count):
                service.run_batch(
                    [(c, Request(1, "call_next", {"req": uuid.uuid4().hex})) for c in counters]
                )

        batches(5)
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            batches(args.batches)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        started = time.process_time()
        batches(args.batches)
        per_call = (time.process_time() - started) / (args.batches * len(counters))
        print(f"CPU per call_next in 24-call batches: {per_call * 1000:.3f} ms")
        service.store.close()


if __name__ == "__main__":
    main()
