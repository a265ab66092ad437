"""Shared Airflow configuration for the DAG files: assets, default arguments, the Cosmos set-up."""
