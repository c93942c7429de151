/**
 * Live views (`vif --rate`, `dropstats --watch`): on a terminal the screen is cleared and redrawn each interval and
 * keys are read without Enter (`q` or Ctrl-C quits cleanly, the view may take others such as paging); without a
 * terminal each sample is printed after the previous one, and --count bounds how many.
 */
import {setTimeout as sleep} from 'node:timers/promises'

export interface LiveView {
  /** One screen (or sample); `elapsedMs` since the previous sample began, 0 for the first. */
  readonly sample: (elapsedMs: number) => Promise<string>
  /** A key other than q / Ctrl-C, on a terminal. */
  readonly onKey?: (key: string) => void
}

export interface LiveOptions {
  readonly intervalMs: number
  /** Samples to take; unbounded when undefined. */
  readonly count?: number
  readonly output: NodeJS.WriteStream
  readonly input: NodeJS.ReadStream
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J'
const CTRL_C = '\x03'

export async function runLive(view: LiveView, {intervalMs, count, output, input}: LiveOptions): Promise<void> {
  const terminal = output.isTTY === true
  let stopped = false
  let wake: (() => void) | undefined
  const stop = () => {
    stopped = true
    wake?.()
  }
  const onKey = (data: Buffer) => {
    for (const key of data.toString('utf8')) {
      if (key === 'q' || key === 'Q' || key === CTRL_C) stop()
      else view.onKey?.(key.toLowerCase())
    }
    // A key redraws at once (the next page, say).
    wake?.()
  }
  const rawInput = terminal && input.isTTY === true
  if (rawInput) {
    input.setRawMode(true)
    input.on('data', onKey)
  }
  process.once('SIGINT', stop)
  try {
    let started = 0
    for (let n = 0; !stopped && (count === undefined || n < count); n++) {
      if (n > 0) await interruptible(intervalMs, (resume) => (wake = resume))
      wake = undefined
      if (stopped) break
      const now = Date.now()
      const screen = await view.sample(n === 0 ? 0 : now - started)
      started = now
      output.write(terminal ? CLEAR_SCREEN + screen : screen)
    }
  } finally {
    process.removeListener('SIGINT', stop)
    if (rawInput) {
      input.off('data', onKey)
      input.setRawMode(false)
      input.pause()
    }
  }
}

/** Sleeps, unless woken earlier. */
async function interruptible(ms: number, register: (resume: () => void) => void): Promise<void> {
  const controller = new AbortController()
  register(() => controller.abort())
  await sleep(ms, undefined, {signal: controller.signal}).catch(() => undefined)
}

/** Our options of the live views (exact names only): how many samples, and how far apart. */
export const LIVE_OPTIONS = [
  {name: 'count', arg: 'required', id: 'count', extension: true},
  {name: 'interval', arg: 'required', id: 'interval', extension: true},
] as const

/** --count and --interval (seconds, fractions allowed); a message for a value that is not one. */
export function liveSettings(count: string | undefined, interval: string | undefined, defaultSeconds: number): {count?: number; intervalMs: number} | string {
  if (count !== undefined && !/^[1-9]\d*$/.test(count)) return `--count wants a positive whole number, not '${count}'`
  const seconds = interval === undefined ? defaultSeconds : Number(interval)
  if (!Number.isFinite(seconds) || seconds <= 0 || interval?.trim() === '') return `--interval wants a positive number of seconds, not '${interval}'`
  return {count: count === undefined ? undefined : Number(count), intervalMs: Math.round(seconds * 1000)}
}
