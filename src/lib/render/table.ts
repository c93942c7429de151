/**
 * `--table`: any tool's objects as a boxed table, from their JSON form (so the columns are the JSON keys and a
 * field is declared once for JSON and table alike).
 */
import Table from 'cli-table3'

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-'
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(',')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Nested objects become dotted columns (`rx.packets`), so that every value gets a cell of its own. */
function flatten(row: Record<string, unknown>, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Record<string, unknown>, `${prefix}${key}.`, into)
    else into[`${prefix}${key}`] = value
  }
  return into
}

export interface TableOptions {
  /** The columns to show, in this order (default: every key any row has, in first-seen order). */
  readonly columns?: readonly string[]
  /** Colours a header cell (the caller decides whether colour is wanted). */
  readonly paintHead?: (text: string) => string
}

/** The rows as one table. */
export function tableText(rows: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  const flat = rows.map((r) => flatten(r))
  const head = options.columns ?? tableColumns(rows)
  const paint = options.paintHead ?? ((text: string) => text)
  // Empty styles: cli-table3 otherwise colours head and border even when piped and under NO_COLOR.
  const table = new Table({head: head.map(paint), style: {head: [], border: []}})
  for (const r of flat) table.push(head.map((k) => cell(r[k])))
  return `${table.toString()}\n`
}

/** Every column the rows give (nested keys dotted), in first-seen order. */
export function tableColumns(rows: readonly Record<string, unknown>[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(flatten(r))))]
}
