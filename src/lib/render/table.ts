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

/** The rows as one table; the columns are every key any row has, in first-seen order. */
export function tableText(rows: readonly Record<string, unknown>[]): string {
  const head = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  // Empty styles: cli-table3 otherwise colours head and border even when piped and under NO_COLOR.
  const table = new Table({head, style: {head: [], border: []}})
  for (const r of rows) table.push(head.map((k) => cell(r[k])))
  return `${table.toString()}\n`
}
