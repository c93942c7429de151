/** Annotated hex: each byte run on its own line(s), with what it is as a `#` comment (the fixture format). */
import type {Segment} from '../ksync/annotate.js'

const BYTES_PER_LINE = 16
const COMMENT_COLUMN = BYTES_PER_LINE * 3 + 1

function hexLine(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')
}

/** Lines of `bytes` cut at the segments; bytes no segment covers are shown unlabelled. */
export function renderAnnotatedHex(bytes: Uint8Array, segments: readonly Segment[]): string[] {
  const lines: string[] = []
  const emit = (offset: number, length: number, label: string) => {
    for (let p = offset, first = true; p < offset + length; p += BYTES_PER_LINE, first = false) {
      const hex = hexLine(bytes.subarray(p, Math.min(offset + length, p + BYTES_PER_LINE)))
      lines.push(first && label ? `${hex.padEnd(COMMENT_COLUMN)}# ${label}` : hex)
    }
  }
  let p = 0
  for (const s of segments) {
    if (s.offset > p) emit(p, s.offset - p, '')
    emit(s.offset, s.length, s.label)
    p = s.offset + s.length
  }
  if (p < bytes.length) emit(p, bytes.length - p, '')
  return lines
}
