import type { Clock } from '../../src/platform/clock.ts'

/** A clock for tests that moves only when told to. */
export function fixedClock(start: Date | string): Clock & { advance(ms: number): void; set(to: Date | string): void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms)
    },
    set: (to: Date | string) => {
      current = new Date(to)
    },
  }
}
