"""Shared core of the hall: domain rules, database, protocol, server and clients."""
