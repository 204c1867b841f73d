"""The service's database machinery, in one place.

- `router`: reads to the reader, writes to the writer, reads after a write stay on the writer.
- `deadline`: the client-side deadline on every query, COMMIT and ROLLBACK of the API (gevent).
- `pipeline`: statements sent in one round trip (psycopg's pipeline mode).
- `binding`: the tenant setting sent with a query, in its transaction (row-level security).
- `psycopg_wait`: psycopg's waits on the gevent hub (the API's worker only).

Django runs a connection's execute wrappers first to last, each wrapping the next, so the
order is:

1. `_query_deadline` (deadline): outermost, so that its deadline covers what the others send;
   put first on every connection the API opens.
2. `TenantBinding` (binding): added by `tenancy.context` for the duration of a block; it sends
   the setting and the query in one pipeline.

tests/service/pcs/db/test_package.py asserts this order on a live connection. Server-side
cursors are off (`DISABLE_SERVER_SIDE_CURSORS`): a pipelined read has no transaction to declare
one in, so `.iterator()` fetches its rows on the client in chunks.
"""

# Django's execute_wrappers, first (outermost) to last, as named on a connection.
EXECUTE_WRAPPER_ORDER = ("_query_deadline", "TenantBinding")
