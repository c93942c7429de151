/**
 * GNU getopt_long as the stock vRouter tools use it, reproduced for their legacy command lines: long options
 * abbreviated to any unique prefix, `--opt=value` and `--opt value`, clustered short options (`-cv1`), options and
 * operands in any order, `--` ending options, and glibc's diagnostics (`<prog>: unrecognized option '--foo'`), which
 * the tools print on stderr before their usage text. Parsing goes on after an error, as getopt does; the tool decides.
 */

export type ArgKind = 'none' | 'required' | 'optional'

export interface LongOption {
  readonly name: string
  readonly arg: ArgKind
  /** What the tool calls this option (several spellings may share one). */
  readonly id: string
  /** Our own additions: matched exactly only, so that they never make a stock abbreviation ambiguous. */
  readonly extension?: boolean
}

export interface OptionTable {
  readonly long: readonly LongOption[]
  /** getopt's short-option string, e.g. "h:c:o:l:s:m:" (":" after a letter = takes an argument). */
  readonly short: string
  /** Short option letter → id. */
  readonly shortIds: Readonly<Record<string, string>>
}

/** The id of an operand returned in order (a short string starting with "-": getopt's code 1). */
export const OPERAND = '\u0001'

export interface ParsedOption {
  readonly id: string
  readonly value?: string
  /** Given in its long form. */
  readonly long: boolean
  /** One of our additions (not the stock tool's). */
  readonly extension?: boolean
}

export interface Parsed {
  readonly options: readonly ParsedOption[]
  readonly operands: readonly string[]
  /** glibc's diagnostics, each a line without the newline. */
  readonly errors: readonly string[]
  /** The command line without our additions (and their values): the stock tool's argv[1..]. */
  readonly stockArgv: readonly string[]
}

function shortKind(table: OptionTable, letter: string): ArgKind | undefined {
  const at = table.short.indexOf(letter)
  if (at < 0 || letter === ':' || letter === '-') return undefined
  if (table.short[at + 1] !== ':') return 'none'
  return table.short[at + 2] === ':' ? 'optional' : 'required'
}

/** A long option found (marked when it is one of our additions). */
function longHit(option: LongOption, value?: string): ParsedOption {
  return {id: option.id, ...(value === undefined ? {} : {value}), long: true, ...(option.extension ? {extension: true} : {})}
}

/** Parses `argv` (without the program name) as getopt_long would for `prog`. */
export function getopt(prog: string, argv: readonly string[], table: OptionTable): Parsed {
  const options: ParsedOption[] = []
  const operands: string[] = []
  const errors: string[] = []
  /** Positions in argv of our additions and their values. */
  const additions = new Set<number>()
  // A leading "-" in the short string returns operands in place (id OPERAND); a ":" after it silences getopt's
  // diagnostics and reports a missing argument as id ":" instead of "?".
  const inOrder = table.short.startsWith('-')
  const silent = table.short.slice(inOrder ? 1 : 0).startsWith(':')
  const complain = (message: string) => {
    if (!silent) errors.push(message)
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      operands.push(...argv.slice(i + 1))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = arg.slice(2, eq < 0 ? undefined : eq)
      const exact = table.long.find((o) => o.name === name)
      const candidates = exact ? [exact] : table.long.filter((o) => !o.extension && o.name.startsWith(name))
      const distinct = [...new Set(candidates.map((o) => o.id))]
      if (candidates.length === 0 || name === '') {
        complain(`${prog}: unrecognized option '--${name}'`)
        options.push({id: '?', long: true})
        continue
      }
      if (distinct.length > 1) {
        complain(`${prog}: option '--${name}' is ambiguous; possibilities:${candidates.map((o) => ` '--${o.name}'`).join('')}`)
        options.push({id: '?', long: true})
        continue
      }
      const option = candidates[0]
      if (option.extension) additions.add(i)
      if (eq >= 0) {
        if (option.arg === 'none') {
          complain(`${prog}: option '--${option.name}' doesn't allow an argument`)
          options.push({id: '?', long: true})
        } else {
          options.push(longHit(option, arg.slice(eq + 1)))
        }
      } else if (option.arg === 'required') {
        if (i + 1 >= argv.length) {
          complain(`${prog}: option '--${option.name}' requires an argument`)
          options.push({id: silent ? ':' : '?', long: true})
        } else {
          if (option.extension) additions.add(i + 1)
          options.push(longHit(option, argv[++i]))
        }
      } else {
        options.push(longHit(option))
      }
      continue
    }
    if (arg.startsWith('-') && arg !== '-') {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]
        const kind = shortKind(table, letter)
        if (!kind) {
          complain(`${prog}: invalid option -- '${letter}'`)
          options.push({id: '?', long: false})
          continue
        }
        const id = table.shortIds[letter] ?? letter
        if (kind === 'none') {
          options.push({id, long: false})
          continue
        }
        const rest = arg.slice(j + 1)
        if (rest !== '') {
          options.push({id, value: rest, long: false})
        } else if (kind === 'optional') {
          options.push({id, long: false})
        } else if (i + 1 < argv.length) {
          options.push({id, value: argv[++i], long: false})
        } else {
          complain(`${prog}: option requires an argument -- '${letter}'`)
          options.push({id: silent ? ':' : '?', long: false})
        }
        break
      }
      continue
    }
    if (inOrder) options.push({id: OPERAND, value: arg, long: false})
    else operands.push(arg)
  }
  return {options, operands, errors, stockArgv: argv.filter((_, k) => !additions.has(k))}
}

/** C's strtoul/strtol with base 0: 0x… hex, 0… octal, decimal; leading spaces and a sign; trailing garbage ignored. */
export function strtol(text: string): {value: number; consumed: boolean} {
  const m = text.match(/^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/)
  if (!m) return {value: 0, consumed: false}
  const digits = m[2]
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : parseInt(digits, 10)
  return {value: m[1] === '-' ? -magnitude : magnitude, consumed: true}
}

/** C's atoi: strtol in base 10, 0 for text that is not a number. */
export function atoi(text: string): number {
  const m = text.match(/^\s*([+-]?\d+)/)
  return m ? Number.parseInt(m[1], 10) | 0 : 0
}

/**
 * C's strtoul or strtol (base 0), or strtol in base 10 (as atoi calls it) on a 64-bit host, exactly: the unsigned or
 * signed long it returns, and whether it set errno to ERANGE (the value then clamped to the nearest limit). A
 * negative text given to strtoul wraps around, as in C.
 */
export function cLong(text: string, kind: 'strtoul' | 'strtol' | 'atoi'): {value: bigint; overflow: boolean} {
  const base0 = kind !== 'atoi'
  const pattern = base0 ? /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/ : /^\s*([+-]?)([0-9]+)/
  const m = text.match(pattern)
  if (!m) return {value: 0n, overflow: false}
  const digits = m[2]
  const magnitude = base0 && digits.length > 1 && digits.startsWith('0') && !/^0[xX]/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits)
  const negative = m[1] === '-'
  if (kind === 'strtoul') {
    if (magnitude > 2n ** 64n - 1n) return {value: 2n ** 64n - 1n, overflow: true}
    return {value: negative ? BigInt.asUintN(64, -magnitude) : magnitude, overflow: false}
  }
  const value = negative ? -magnitude : magnitude
  if (value > 2n ** 63n - 1n) return {value: 2n ** 63n - 1n, overflow: true}
  if (value < -(2n ** 63n)) return {value: -(2n ** 63n), overflow: true}
  return {value, overflow: false}
}
