/** The parameters of the GOV.UK pagination component, for a list shown a page at a time. */
export interface GovukPagination {
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[]
  previous: { href: string } | undefined
  next: { href: string } | undefined
  landmarkLabel?: string
}

/**
 * GOV.UK pagination: the first and last pages, the current one and those either side of it, with an ellipsis for
 * each gap (the Design System's pattern for long lists). Nothing when everything fits on one page.
 */
export function govukPagination(
  current: number,
  last: number,
  hrefFor: (page: number) => string,
  landmarkLabel?: string,
): GovukPagination | undefined {
  if (last <= 1) return undefined
  const numbers = [...new Set([1, current - 1, current, current + 1, last])]
    .filter((n) => n >= 1 && n <= last)
    .sort((a, b) => a - b)
  const items: GovukPagination['items'] = []
  let previous = 0
  for (const n of numbers) {
    if (n - previous > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: hrefFor(n), current: n === current })
    previous = n
  }
  return {
    items,
    previous: current > 1 ? { href: hrefFor(current - 1) } : undefined,
    next: current < last ? { href: hrefFor(current + 1) } : undefined,
    ...(landmarkLabel === undefined ? {} : { landmarkLabel }),
  }
}

/** How many pages `total` items make at `pageSize` a page (at least one, so an empty list has page 1). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize))
}
