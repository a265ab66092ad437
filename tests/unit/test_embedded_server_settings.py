"""The embedded server's PostgreSQL settings, sized to the machine (pembina.db.embedded_server_settings)."""

from __future__ import annotations

from pembina.db import embedded_server_settings

GIB = 2**30


def test_settings_follow_memory_and_cores() -> None:
    settings = embedded_server_settings(24 * GIB, 2)
    assert settings == {
        "shared_buffers": "3072MB",
        "effective_cache_size": "12288MB",
        "work_mem": "512MB",
        "maintenance_work_mem": "1024MB",
        "jit": "off",
        "max_worker_processes": "8",
        "max_parallel_workers": "2",
        "max_parallel_workers_per_gather": "1",
        "max_parallel_maintenance_workers": "1",
        "wal_level": "minimal",
        "max_wal_senders": "0",
        "max_wal_size": "8GB",
        "checkpoint_timeout": "15min",
    }


def test_small_machine_keeps_postgres_minimums_and_no_parallel_workers() -> None:
    settings = embedded_server_settings(1 * GIB, 1)
    assert settings["shared_buffers"] == "128MB"
    assert settings["work_mem"] == "21MB"
    assert settings["maintenance_work_mem"] == "64MB"
    assert settings["effective_cache_size"] == "512MB"
    assert settings["max_parallel_workers_per_gather"] == "0"


def test_large_machine_is_capped() -> None:
    settings = embedded_server_settings(512 * GIB, 64)
    assert settings["shared_buffers"] == "4096MB"
    assert settings["work_mem"] == "1024MB"
    assert settings["maintenance_work_mem"] == "1024MB"
    assert settings["max_worker_processes"] == "64"
    assert settings["max_parallel_workers_per_gather"] == "32"
