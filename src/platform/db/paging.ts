import type { SelectQueryBuilder } from 'kysely'

/** A numbered page of a list: `limit` rows after skipping `offset`. */
export interface Page {
  limit: number
  offset: number
}

/** Page `page` (from 1) at `pageSize` rows a page. */
export function pageAt(page: number, pageSize: number): Page {
  return { limit: pageSize, offset: (Math.max(1, page) - 1) * pageSize }
}

export interface Paged<T> {
  total: number
  items: T[]
}

/**
 * Rows and the total from one query: select `count(*) over ()` as `total` beside the rows, and the total arrives
 * with the page. Only when the page lies beyond the last row (so no row carries the total) is it counted on its own.
 */
export async function paged<Row extends { total: number }, T>(
  rows: Row[],
  page: Page,
  count: () => Promise<number>,
  map: (row: Row) => T,
): Promise<Paged<T>> {
  const first = rows[0]
  if (first !== undefined) return { total: first.total, items: rows.map(map) }
  return { total: page.offset === 0 ? 0 : await count(), items: [] }
}

/** The number of rows a query would give, ignoring its selection and order. */
export async function countOf<D, TB extends keyof D, O>(query: SelectQueryBuilder<D, TB, O>): Promise<number> {
  const row = await query
    .clearSelect()
    .clearOrderBy()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return (row as { n: number }).n
}

/**
 * Keyset paging, for long lists read newest first (the audit log): ask for `limit + 1` rows after the last key
 * seen, show `limit` and offer the next page from the last one shown only when the extra row came back. Unlike
 * an offset, the cost of a page does not grow with how far into the list it is.
 */
export function keysetPage<T, K>(rows: readonly T[], limit: number, keyOf: (row: T) => K): { items: T[]; next: K | undefined } {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next: rows.length > limit && last !== undefined ? keyOf(last) : undefined }
}
