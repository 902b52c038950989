"""Outgoing mail: written in the transaction of the act that causes it, delivered by the
worker (`flask worker`) with retries and back-off.

Why a table of our own rather than a task-queue library: the message must be written in
the *same* database transaction as the change, on SQLite (the embedded default) and on
PostgreSQL alike, so that a rolled-back act sends nothing and a committed one loses
nothing. The libraries that write jobs transactionally — procrastinate, pgqueuer, pq,
chancy — are PostgreSQL-only; the others (Celery, RQ, Dramatiq, Huey, arq, SAQ) keep
their queue in a broker or a store of their own (Redis, RabbitMQ, a separate SQLite
file), outside the app's transaction, which is the very loss this replaces. So: one
table (`outgoing_mail`), claimed with a lease (a conditional UPDATE, behind
`FOR UPDATE SKIP LOCKED` on PostgreSQL), delivered by `coalition.worker`.
"""
