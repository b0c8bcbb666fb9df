/** Where a progress bar may draw: a terminal stream (stderr), or anything shaped like one in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean
  write(text: string): unknown
}

export interface ProgressBar {
  update(done: number): void
  finish(): void
}

const WIDTH = 30
const REDRAW_MS = 100

/**
 * A one-line progress bar redrawn in place. Draws nothing unless enabled and the stream is a terminal, so logs
 * and pipes never fill with carriage returns.
 */
export function createProgressBar(options: {
  label: string
  total: number
  enabled: boolean
  stream: ProgressStream
  now?: () => number
}): ProgressBar {
  const { label, total, stream } = options
  const now = options.now ?? Date.now
  const active = options.enabled && stream.isTTY === true && total > 0
  let lastDraw = Number.NEGATIVE_INFINITY
  let drawn = false

  const draw = (done: number) => {
    const share = Math.min(1, done / total)
    const filled = Math.round(share * WIDTH)
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`
    stream.write(
      `\r${label} ${bar} ${String(Math.floor(share * 100)).padStart(3)}% ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`,
    )
    drawn = true
  }

  return {
    update(done) {
      if (!active) return
      const t = now()
      if (t - lastDraw < REDRAW_MS && done < total) return
      lastDraw = t
      draw(done)
    },
    finish() {
      if (!active) return
      draw(total)
      if (drawn) stream.write('\n')
    },
  }
}
