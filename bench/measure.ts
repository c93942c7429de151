/**
 * Side-by-side timing: the contenders of a workload run in alternating rounds in one process, and each reports its
 * best round (the one least disturbed by the rest of this noisy machine), so every contender is measured the same way
 * and the ratio stays meaningful.
 */
export interface Contender {
  readonly name: string
  /** Runs one unit of work; returns how many items it handled (objects, entries, …). */
  readonly run: () => number
}

/** Items per second of `run`, measured over at least `ms` milliseconds. */
function rate(run: () => number, ms: number): number {
  let items = 0
  const start = performance.now()
  let elapsed = 0
  do {
    for (let i = 0; i < 16; i++) items += run()
    elapsed = performance.now() - start
  } while (elapsed < ms)
  return (items / elapsed) * 1000
}

/** Best items/s of each contender over `rounds` alternating rounds (after one warm-up round). */
export function compare(contenders: readonly Contender[], rounds = 5, ms = 200): Map<string, number> {
  for (const c of contenders) rate(c.run, ms / 2)
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]))
  for (let r = 0; r < rounds; r++) for (const c of contenders) samples.get(c.name)!.push(rate(c.run, ms))
  return new Map([...samples].map(([name, values]) => [name, Math.max(...values)]))
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`
  return `${perSecond.toFixed(0)} /s`
}

/** Prints a Markdown table: one row per workload. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  console.log(line(header))
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`)
  for (const r of rows) console.log(line(r))
}
