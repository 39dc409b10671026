"""Housekeeping: deleting what has outlived its use, tenant by tenant, run by Temporal Schedules."""
