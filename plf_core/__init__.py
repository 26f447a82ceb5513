"""The Practice Learning Framework itself: pure rules, no I/O.

Nothing in this package imports aiohttp, sqlalchemy, microsoft_agents or apscheduler;
time comes in as an argument (see `plf_core.clock`). A unit test enforces this.
"""
