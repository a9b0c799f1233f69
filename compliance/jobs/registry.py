"""The `@job(name)` registry: a job is a plain function of JSON-able keyword arguments."""

from __future__ import annotations

import importlib
from collections.abc import Callable

Handler = Callable[..., None]

_HANDLERS: dict[str, Handler] = {}
_SWEEPS: dict[str, Callable[[], object]] = {}

# Modules that define jobs and sweeps, imported on first use so a worker knows them by name.
JOB_MODULES = ("compliance.certificates.jobs", "compliance.mail", "compliance.priorities.sweep")


class UnknownJob(LookupError):
    pass


def job(name: str) -> Callable[[Handler], Handler]:
    """Register a function as the job called `name`.

    A job must be idempotent: it can run twice (a relay re-dispatch, a worker lost mid-job), so
    it checks what is already done (a stored PDF, a sent flag) before doing it again.
    """

    return _registrar(_HANDLERS, "job", name)


def _registrar(table: dict, kind: str, name: str):
    """A decorator putting its function in `table` under `name`, once."""

    def register(func):
        existing = table.get(name)
        if existing is not None and existing is not func:
            raise ValueError(f"{kind} {name!r} is registered twice")
        table[name] = func
        return func

    return register


def handler_for(name: str) -> Handler:
    if name not in _HANDLERS:
        for module in JOB_MODULES:
            importlib.import_module(module)
    try:
        return _HANDLERS[name]
    except KeyError:
        raise UnknownJob(name) from None


def names() -> list[str]:
    for module in JOB_MODULES:
        importlib.import_module(module)
    return sorted(_HANDLERS)


def sweep(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register upkeep that every worker runs between rounds (about once a minute when idle).

    A sweep must be cheap when there is nothing to do and safe to run on several workers at
    once; it works in the caller's transaction, which the worker commits.
    """

    return _registrar(_SWEEPS, "sweep", name)


def sweeps() -> dict[str, Callable[[], object]]:
    for module in JOB_MODULES:
        importlib.import_module(module)
    return dict(sorted(_SWEEPS.items()))
