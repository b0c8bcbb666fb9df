export const name = '0017-rate-limit'

/**
 * Rate-limit counters live in the database, so every app process behind a load balancer counts the same requests
 * (an in-memory counter per process would let N processes allow N times the limit). The key is a SHA-256 of the
 * route and the client's address: no address is stored.
 */
export const statements: readonly string[] = [
  `create table rate_limit_bucket (
    key text primary key,
    hits integer not null check (hits > 0),
    resets_at timestamptz not null
  )`,
  `create index rate_limit_bucket_resets_at_idx on rate_limit_bucket (resets_at)`,
]
