"""Fixtures for the runtime tests live in runtime_helpers (a plain module name that never shadows another)."""

from runtime_helpers import fault_server_fixture, runner_fixture

__all__ = ["fault_server_fixture", "runner_fixture"]
