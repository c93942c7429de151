/**
 * Side-by-side timing: the contenders of a workload run in alternating rounds in one process; each reports its best
 * round (the one least disturbed by the rest of this noisy machine), and a ratio of two contenders is the median of
 * their rounds' ratios, so every contender is measured the same way and the ratio stays meaningful.
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

/** What `compare` measured. */
export interface Comparison {
  /** A contender's best items/s over the rounds. */
  best(name: string): number
  /**
   * The median over the rounds of `name`'s rate over `other`'s in the same round: steadier than a ratio of bests on
   * a host whose speed drifts for seconds at a time.
   */
  ratio(name: string, other: string): number
}

/** Every contender's items/s in each of `rounds` rounds (after one warm-up round), contenders alternating. */
export function compare(contenders: readonly Contender[], rounds = 5, ms = 200): Comparison {
  for (const c of contenders) rate(c.run, ms / 2)
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]))
  for (let r = 0; r < rounds; r++) for (const c of contenders) samples.get(c.name)!.push(rate(c.run, ms))
  const of = (name: string) => {
    const values = samples.get(name)
    if (!values) throw new Error(`no contender named ${name}`)
    return values
  }
  return {
    best: (name) => Math.max(...of(name)),
    ratio: (name, other) => {
      const ratios = of(name).map((v, i) => v / of(other)[i]).sort((a, b) => a - b)
      return ratios[Math.floor(ratios.length / 2)]
    },
  }
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
