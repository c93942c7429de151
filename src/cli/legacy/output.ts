/**
 * The structured output modes every stock-compatible tool offers besides its legacy text: `--json` (an array for a
 * list, an object for one), `--json=ndjson` (one object per line, written as each comes), and `--table [--columns
 * a,b]` (a boxed table from the JSON forms; colour only on a terminal, never with --no-color or NO_COLOR).
 */
import {JsonArrayWriter, ndjsonLine, stringifyJson} from '../../lib/render/json.js'
import {tableColumns, tableText} from '../../lib/render/table.js'

/** A value one of our additions cannot take (a bad --json value, an unknown column, a bad --timeout). */
export class ExtensionError extends Error {}

export type OutputMode = {kind: 'json'} | {kind: 'ndjson'} | {kind: 'table'; columns?: readonly string[]; paintHead?: (text: string) => string}

export class ObjectOutput {
  private readonly rows: Record<string, unknown>[] = []
  private readonly array: JsonArrayWriter

  constructor(
    readonly mode: OutputMode,
    private readonly write: (text: string) => void,
  ) {
    this.array = new JsonArrayWriter(write)
  }

  /** One object of a list. */
  push(value: object): void {
    if (this.mode.kind === 'json') this.array.push(value)
    else if (this.mode.kind === 'ndjson') this.write(ndjsonLine(value))
    else this.rows.push(value as Record<string, unknown>)
  }

  /** The end of a list. */
  end(): void {
    if (this.mode.kind === 'json') this.array.end()
    else if (this.mode.kind === 'table') this.write(this.table())
  }

  /** The one object of a get. */
  single(value: object): void {
    if (this.mode.kind === 'json') this.write(`${stringifyJson(value)}\n`)
    else if (this.mode.kind === 'ndjson') this.write(ndjsonLine(value))
    else {
      this.rows.push(value as Record<string, unknown>)
      this.write(this.table())
    }
  }

  private table(): string {
    const mode = this.mode as Extract<OutputMode, {kind: 'table'}>
    const known = tableColumns(this.rows)
    const unknown = this.rows.length > 0 ? (mode.columns ?? []).filter((c) => !known.includes(c)) : []
    if (unknown.length > 0) throw new ExtensionError(`no column ${unknown.map((c) => `'${c}'`).join(', ')}; the columns are ${known.join(', ')}`)
    return tableText(this.rows, {columns: mode.columns, paintHead: mode.paintHead})
  }
}
