/**
 * Hex text → bytes, for what operators paste: plain hex ("f4 02 00 00", "f4020000", "0xf4,0x02", "\xf4\x02"),
 * annotated fixtures ("f4 02 00 00  # nlmsg_len 756"), and dumps with an offset column and an ASCII column
 * (xxd, hexdump -C, tcpdump -X, the spec's "0000: 00 00 ..." lines).
 */
import {DecodeError} from '../errors.js'

const OFFSET = /^\s*(?:0x)?([0-9a-f]+)(?::\s*|\s{2,}|\t)/i
const HEX_TOKEN = /^(?:0x|\\x)?([0-9a-f]+)$/i

/** Bytes of one line's hex tokens, stopping at the first token that is not hex (an ASCII column). */
function lineBytes(text: string, lineNumber: number, dumpLine: boolean): number[] {
  const bytes: number[] = []
  const body = dumpLine ? text.replace(/\|.*\|\s*$/, '') : text
  for (const raw of body.split(/[\s,;]+|(?=\\x)/)) {
    if (raw === '') continue
    const token = raw.match(HEX_TOKEN)
    if (!token || token[1].length % 2 !== 0) {
      if (dumpLine) break
      throw new DecodeError('BAD_HEX', lineNumber, `line ${lineNumber}: ${JSON.stringify(raw)} is not hex bytes`)
    }
    for (let i = 0; i < token[1].length; i += 2) bytes.push(parseInt(token[1].slice(i, i + 2), 16))
  }
  return bytes
}

/** Parses hex text; throws DecodeError BAD_HEX (its offset is the line number). */
export function parseHex(text: string): Uint8Array {
  const lines = text.split(/\r?\n/).map((line, i) => ({text: line.replace(/#.*$/, ''), number: i + 1})).filter((l) => l.text.trim() !== '')
  const dump = parseDump(lines)
  if (dump) return dump
  return Uint8Array.from(lines.flatMap((l) => lineBytes(l.text, l.number, false)))
}

/**
 * A dump has an offset column on every line, starting at 0 and growing by what each line holds; the difference of
 * two offsets also bounds a line, so an ASCII column that happens to look like hex is not taken for bytes.
 */
function parseDump(all: {text: string; number: number}[]): Uint8Array | undefined {
  // hexdump ends with a line holding only the total length.
  const last = all.at(-1)?.text.trim() ?? ''
  const lines = all.length > 1 && /^[0-9a-f]+$/i.test(last) ? all.slice(0, -1) : all
  const columns = lines.map((l) => l.text.match(OFFSET))
  if (lines.length === 0 || columns.some((m) => m === null)) return undefined
  const offsets = columns.map((m) => parseInt(m![1], 16))
  if (offsets[0] !== 0 || (offsets.length > 1 && offsets.every((o) => o === 0))) return undefined
  const out: number[] = []
  for (let i = 0; i < lines.length; i++) {
    if (offsets[i] !== out.length) return undefined
    const bytes = lineBytes(lines[i].text.slice(columns[i]![0].length), lines[i].number, true)
    out.push(...(i + 1 < lines.length ? bytes.slice(0, offsets[i + 1] - offsets[i]) : bytes))
  }
  return Uint8Array.from(out)
}

/** Whether raw input is text (hex, maybe with UTF-8 comments) rather than binary: ksync bytes always contain NULs. */
export function isHexText(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false
  return true
}

export function toHex(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(separator)
}
