"""`queue-hall simulate`: simulated residents and clerks, so a hall fills with life.

Residents arrive at kiosks as a Poisson process and take tickets for matters chosen
by weight; clerks at the simulated counters call, start and finish them with
log-normal service times, and now and then mark a no-show, recall, transfer or
pause, and their residents rate the service. `--speed` compresses time: at 10 a
five-minute service takes thirty seconds. Everything goes through the hall
protocol, as real kiosks and counters would.

`--hasty 3,5` puts hasty clerks at those counters: they press call twice (20 to 400 ms
apart: the server's call gap refuses the second press), never press start, finish
within seconds and mark many no-shows, so the report has clerks to highlight (calls per
served ticket at any speed; short services at `--speed 1`, since the server times services
in real seconds). The call gap is real time too, so at a high `--speed` every clerk may
meet it; a refused call waits the seconds the server names and is counted apart, not as
an error.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.client.connection import HallClient
from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.domain.vocabulary import RATING_LEVELS

log = logging.getLogger(__name__)

SIM_CLERK_PIN = "2468"
# How long the simulator tries to reach a hall it has never reached: past it, nothing listens
# there. Once reached, a lost connection is a restarting hall and is retried without end.
FIRST_CONTACT_S = 5.0


def sim_clerk_id(counter: int) -> str:
    """The clerk a simulated counter logs in with (the demo creates them)."""
    return f"sim{counter:02d}"


@dataclass
class Behaviour:
    """How simulated people behave; times are in hall seconds (before --speed)."""

    arrivals_per_hour: float = 240.0
    service_mean_s: float = 300.0
    service_sigma: float = 0.5
    walk_up_s: float = 20.0  # from the call to the counter
    no_show: float = 0.05
    recall: float = 0.10
    transfer: float = 0.03
    pause: float = 0.02
    priority: float = 0.06
    rate: float = 0.7


@dataclass
class HastyBehaviour:
    """A clerk in a hurry (hall seconds, before --speed; the double press is real time)."""

    double_press_s: tuple[float, float] = (0.02, 0.4)
    finish_after_s: tuple[float, float] = (3.0, 40.0)
    # Gives up on residents before they reach the counter: calls per served ticket about 2.5,
    # above twice a careful clerk's at any --speed (short services need real-time speed).
    no_show: float = 0.6
    recall: float = 0.3


@dataclass
class Tally:
    issued: int = 0
    called: int = 0
    finished: int = 0
    no_shows: int = 0
    transfers: int = 0
    rated: int = 0
    too_soon: int = 0  # calls the server refused inside the call gap (double presses, high speed)
    errors: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        errors = ", ".join(f"{k} {v}" for k, v in self.errors.items()) or "none"
        return (
            f"issued {self.issued}, called {self.called}, finished {self.finished}, "
            f"no-shows {self.no_shows}, transfers {self.transfers}, rated {self.rated}, "
            f"calls refused inside the gap {self.too_soon}; errors: {errors}"
        )


class Simulation:
    def __init__(
        self,
        host: str,
        port: int,
        counters: list[int],
        kiosks: int,
        behaviour: Behaviour,
        speed: float,
        key: str | None,
        seed: int | None = None,
        initial: int = 0,
        hasty: frozenset[int] = frozenset(),
        hasty_behaviour: HastyBehaviour | None = None,
        priority_pin: str | None = None,
    ) -> None:
        self.host, self.port, self.counters, self.kiosks = host, port, counters, kiosks
        self.initial = initial  # residents already queuing at the door when the hall opens
        self.hasty = hasty  # counters whose clerk is in a hurry (HastyBehaviour)
        self.hasty_b = hasty_behaviour or HastyBehaviour()
        self.priority_pin = priority_pin  # the staff PIN; without it no priority tickets
        self.b, self.speed, self.key = behaviour, speed, key
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.services: list[dict[str, Any]] = []
        self.reached = False  # a connection to the hall has succeeded once

    async def sleep(self, hall_seconds: float) -> None:
        await asyncio.sleep(max(0.0, hall_seconds / self.speed))

    async def _retrying(self, what: str, make: Callable[[float | None], Any]) -> Any:
        """Run a protocol step; on a lost connection wait and reconnect (the hall restarted).

        A hall never reached is tried for FIRST_CONTACT_S only, then its ConnectionError or
        OSError is raised; a refusal (HallError, e.g. a missing hall key) is raised at once.
        `make` gets how long its connect may take (None: no limit), so a connect that hangs
        or a port that never sends the welcome ends the first contact in time too.
        """
        first_try = time.monotonic()
        while True:
            spent = time.monotonic() - first_try
            try:
                result = await make(None if self.reached else FIRST_CONTACT_S - spent)
            except (ConnectionError, OSError) as exc:
                wait = 2.0 if self.reached else 0.5
                # No retry that would start too late to have time of its own.
                if not self.reached and time.monotonic() - first_try + wait >= FIRST_CONTACT_S:
                    raise
                self.tally.errors["connection"] += 1
                log.warning("%s: %s; retrying in %g s", what, exc, wait)
                await asyncio.sleep(wait)
            else:
                self.reached = True
                return result

    async def kiosk(self, index: int) -> None:
        async def connect(timeout: float | None) -> HallClient:
            return await HallClient.connect(
                self.host,
                self.port,
                "kiosk",
                f"sim-kiosk-{index}",
                self.key,
                keep_events=False,
                timeout=timeout,
            )

        client: HallClient = await self._retrying("kiosk", connect)
        per_kiosk = self.b.arrivals_per_hour / 3600 / self.kiosks
        # The crowd at the door spreads over the kiosks, as residents do (and as each kiosk's
        # issuing limit needs).
        waiting_at_the_door = self.initial // self.kiosks + (index < self.initial % self.kiosks)
        while True:
            if waiting_at_the_door:
                waiting_at_the_door -= 1
            else:
                await self.sleep(self.rng.expovariate(per_kiosk))
            open_services = [s for s in self.services if s.get("open", True)]
            if not open_services:
                continue
            service = self.rng.choices(open_services, weights=[s["weight"] for s in open_services])[
                0
            ]
            priority = self.rng.random() < self.b.priority and self.priority_pin is not None
            proof = {"priority_pin": self.priority_pin} if priority else {}
            try:
                result = await client.call(
                    "issue",
                    service=service["code"],
                    req=uuid.uuid4().hex,
                    priority=priority,
                    **proof,
                )
                await client.call("printed", ticket=result["ticket"]["id"])
                self.tally.issued += 1
            except HallError as exc:
                self.tally.errors[exc.code.value] += 1
                if exc.reason == ErrorReason.RATE_LIMIT:  # a crowd at one kiosk: the next waits
                    waiting_at_the_door += 1
                    await asyncio.sleep(1.0)
            except (ConnectionError, OSError):
                self.tally.errors["connection"] += 1
                client = await self._retrying("kiosk", connect)

    async def counter(self, number: int) -> None:
        clerk = sim_clerk_id(number)

        async def connect(timeout: float | None) -> HallClient:
            c = await HallClient.connect(
                self.host,
                self.port,
                "counter",
                f"sim-counter-{number}",
                self.key,
                counter=number,
                keep_events=False,
                timeout=timeout,
            )
            await c.call("login", clerk=clerk, pin=SIM_CLERK_PIN)
            return c

        try:
            client: HallClient = await self._retrying(f"counter {number}", connect)
        except HallError as exc:
            raise HallError(
                exc.code,
                f"clerk {clerk} cannot log in at counter {number}: {exc.message}\n"
                f"  add simulation clerks with: queue-hall clerk add {clerk} --name 模拟{number} --pin {SIM_CLERK_PIN}",
            ) from None
        serve = self._serve_hastily if number in self.hasty else self._serve_one
        while True:
            try:
                await serve(client)
            except HallError as exc:
                if exc.reason == ErrorReason.CALL_TOO_SOON:
                    self.tally.too_soon += 1
                    await asyncio.sleep(exc.retry_after_s or 1)  # real seconds, as the server said
                    continue
                self.tally.errors[exc.code.value] += 1
                await self.sleep(5)
            except (ConnectionError, OSError):
                self.tally.errors["connection"] += 1
                client = await self._retrying(f"counter {number}", connect)

    async def _serve_one(self, client: HallClient) -> None:
        rng, b = self.rng, self.b
        if rng.random() < b.pause:
            await client.call("pause", reason="短暂离开")
            await self.sleep(rng.uniform(60, 300))
            await client.call("resume")
        ticket = (await client.call("call_next", req=uuid.uuid4().hex))["ticket"]
        if ticket is None:
            await self.sleep(rng.uniform(5, 20))
            return
        self.tally.called += 1
        await self.sleep(rng.uniform(0.3, 1.5) * b.walk_up_s)
        if rng.random() < b.recall:
            await client.call("recall")
            await self.sleep(b.walk_up_s)
        if rng.random() < b.no_show:
            await client.call("no_show")
            self.tally.no_shows += 1
            return
        await client.call("start")
        duration = rng.lognormvariate(math.log(b.service_mean_s), b.service_sigma)
        await self.sleep(duration)
        if rng.random() < b.transfer and len(self.services) > 1:
            target = rng.choice(self.services)["code"]
            await client.call("transfer", service=target, req=uuid.uuid4().hex)
            self.tally.transfers += 1
            return
        done = (await client.call("finish"))["ticket"]
        self.tally.finished += 1
        if rng.random() < b.rate:
            level = rng.choices(RATING_LEVELS, weights=(60, 30, 8, 2))[0]
            await client.call("rate", ticket=done["id"], level=level)
            self.tally.rated += 1

    async def _serve_hastily(self, client: HallClient) -> None:
        """Call with a double press, skip start, finish within seconds, give up on residents."""
        rng, h = self.rng, self.hasty_b
        ticket = (await client.call("call_next", req=uuid.uuid4().hex))["ticket"]
        if ticket is None:
            await self.sleep(rng.uniform(5, 20))
            return
        self.tally.called += 1
        await asyncio.sleep(rng.uniform(*h.double_press_s))  # the finger bounces
        try:
            again = (await client.call("call_next", req=uuid.uuid4().hex))["ticket"]
        except HallError as exc:
            if exc.reason != ErrorReason.CALL_TOO_SOON:
                raise
            self.tally.too_soon += 1
        else:  # a hall without a call gap: the first resident's ticket was just finished
            self.tally.finished += 1
            if again is None:
                return
            self.tally.called += 1
        if rng.random() < h.recall:
            await client.call("recall")
        await self.sleep(rng.uniform(*h.finish_after_s))
        if rng.random() < h.no_show:
            await client.call("no_show")
            self.tally.no_shows += 1
            return
        done = (await client.call("finish"))["ticket"]
        self.tally.finished += 1
        if rng.random() < self.b.rate:
            level = rng.choices(RATING_LEVELS, weights=(30, 30, 25, 15))[0]
            await client.call("rate", ticket=done["id"], level=level)
            self.tally.rated += 1

    async def refresh_catalog(self) -> None:
        async def connect(timeout: float | None) -> HallClient:
            try:
                return await HallClient.connect(
                    self.host,
                    self.port,
                    "display",
                    "sim-catalog",
                    self.key,
                    keep_events=False,
                    timeout=timeout,
                )
            except HallError as exc:  # the first connection: a refusal is the whole run's
                raise self.refused(exc) from None

        client: HallClient = await self._retrying("catalog", connect)
        while True:
            try:
                catalog = await client.call_all("catalog")
            except (ConnectionError, OSError):
                client = await self._retrying("catalog", connect)
                continue
            # A few matters draw most residents, as in a real hall.
            self.services = [
                {**s, "weight": 1.0 / (1 + i % 12)} for i, s in enumerate(catalog["services"])
            ]
            await asyncio.sleep(30)

    def refused(self, exc: HallError) -> HallError:
        """The hall's refusal of the simulator's hello, naming the hall and the fix."""
        hint = ""
        if exc.code == ErrorCode.NOT_AUTHENTICATED and self.key:
            hint = " (QUEUE_HALL_KEY is not this hall's key)"
        return HallError(
            exc.code,
            f"the hall at {self.host}:{self.port} refused the simulator: {exc.message}{hint}",
            reason=exc.reason,
        )

    async def run(self, duration: float | None, report_every: float = 10.0) -> Tally:
        tasks = [asyncio.create_task(self.refresh_catalog())]
        try:
            while not self.services:  # the catalog comes first; a hall that refuses says so here
                if tasks[0].done():
                    tasks[0].result()
                await asyncio.sleep(0.05)
        except BaseException:
            tasks[0].cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        tasks += [asyncio.create_task(self.kiosk(i)) for i in range(self.kiosks)]
        tasks += [asyncio.create_task(self.counter(n)) for n in self.counters]
        started = last_report = time.monotonic()
        try:
            while duration is None or time.monotonic() - started < duration:
                for task in tasks:
                    if task.done():
                        task.result()  # a task that stopped raises its reason here (e.g. login refused)
                await asyncio.sleep(0.2)
                if time.monotonic() - last_report >= report_every:
                    last_report = time.monotonic()
                    log.info("simulation: %s", self.tally.line())
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return self.tally
