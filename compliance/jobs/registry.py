"""The `@job(name)` registry: a job is a plain function of JSON-able keyword arguments."""

from __future__ import annotations

import importlib
from collections.abc import Callable

Handler = Callable[..., None]

_HANDLERS: dict[str, Handler] = {}

# Modules that define jobs, imported on first use so a worker knows every job by name.
JOB_MODULES = ("compliance.certificates.jobs", "compliance.mail")


class UnknownJob(LookupError):
    pass


def job(name: str) -> Callable[[Handler], Handler]:
    """Register a function as the job called `name`.

    A job must be idempotent: it can run twice (a relay re-dispatch, a worker lost mid-job), so
    it checks what is already done (a stored PDF, a sent flag) before doing it again.
    """

    def register(func: Handler) -> Handler:
        existing = _HANDLERS.get(name)
        if existing is not None and existing is not func:
            raise ValueError(f"job {name!r} is registered twice")
        _HANDLERS[name] = func
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
