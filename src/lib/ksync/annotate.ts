/** What each byte run of a ksync capture is: envelope fields, then the payload's objects field by field. */
import {type Segment, codecFor} from '../sandesh/codec.js'
import type {KsyncDocument} from './document.js'
import {ENVELOPE_LENGTH, NLMSG_HDRLEN, encodeMessage} from './frame.js'

export type {Segment}

function envelopeSegments(bytes: Uint8Array, at: number, kind: string): Segment[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at)
  const segments: Segment[] = [
    {offset: at, length: 4, label: `nlmsg_len ${dv.getUint32(0, true)}`},
    {offset: at + 4, length: 2, label: `nlmsg_type 0x${dv.getUint16(4, true).toString(16)}`},
    {offset: at + 6, length: 2, label: `nlmsg_flags 0x${dv.getUint16(6, true).toString(16)}`},
    {offset: at + 8, length: 4, label: `nlmsg_seq ${dv.getUint32(8, true)}`},
    {offset: at + 12, length: 4, label: `nlmsg_pid ${dv.getUint32(12, true)}`},
  ]
  if (kind !== 'sandesh') return segments
  return [
    ...segments,
    {offset: at + 16, length: 4, label: `genl cmd ${bytes[at + 16]}, version ${bytes[at + 17]}, reserved ${dv.getUint16(18, true)}`},
    {offset: at + 20, length: 2, label: `nla_len ${dv.getUint16(20, true)}`},
    {offset: at + 22, length: 2, label: `nla_type ${dv.getUint16(22, true)}`},
  ]
}

/** Segments of a decoded document over the bytes it was decoded from (offsets are offsets in `bytes`). */
export function annotate(doc: KsyncDocument, bytes: Uint8Array): Segment[] {
  const codec = codecFor(doc.variant)
  if (doc.form === 'payload') return codec.segments(bytes)
  return doc.frames.flatMap((frame) => {
    const m = frame.message
    const at = frame.offset
    const length = encodeMessage(m).length
    const head = envelopeSegments(bytes, at, m.kind)
    if (m.kind !== 'sandesh') {
      return length > NLMSG_HDRLEN ? [...head, {offset: at + NLMSG_HDRLEN, length: length - NLMSG_HDRLEN, label: `${m.kind} body`}] : head
    }
    const start = at + ENVELOPE_LENGTH
    const objects = codec.segments(bytes, start, start + m.payload.length)
    const padding = m.padding.length ? [{offset: start + m.payload.length, length: m.padding.length, label: 'padding'}] : []
    return [...head, ...objects, ...padding]
  })
}
