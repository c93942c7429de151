/**
 * Capture files: what we write, our reader and independent readers (the pcap-parser package; tcpdump where it is
 * installed) agree on packet count, bytes and times; tcpdump's summaries are ours; pcapng comments give back the
 * agent headers; broken files are DecodeErrors.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import fc from 'fast-check'
import {DecodeError} from '../../../src/lib/errors.js'
import {decodePkt0Frame, looksLikePkt0Frame} from '../../../src/lib/pkt0/frame.js'
import {decodePacket} from '../../../src/lib/pkt0/packet.js'
import {CaptureWriter, type CaptureFormat, headersFromComment, isCapture, pkt0Comment, readCapture} from '../../../src/lib/pkt0/pcap.js'
import {headerSummary, packetSummary} from '../../../src/lib/render/pkt0.js'
import {FIXTURES, buildFixture} from './fixtures.js'
import {TCPDUMP, pcapParserRead, tcpdumpRead} from './readers.js'

const dir = mkdtempSync(join(tmpdir(), 'pkt0-pcap-'))
after(() => rmSync(dir, {recursive: true, force: true}))

const frames = FIXTURES.map(buildFixture)
const T0 = 1_764_230_400_123_456

function write(format: CaptureFormat): {path: string; bytes: Uint8Array} {
  const w = new CaptureWriter(format)
  const chunks = [w.header()]
  frames.forEach((f, i) => {
    const frame = decodePkt0Frame(f)
    chunks.push(w.record(frame.packet, T0 + i * 1001, pkt0Comment(headerSummary(frame), f)))
  })
  const bytes = new Uint8Array(Buffer.concat(chunks))
  const path = join(dir, `fixtures.${format}`)
  writeFileSync(path, bytes)
  return {path, bytes}
}

describe('pcap and pcapng', () => {
  for (const format of ['pcap', 'pcapng'] as const) {
    test(`${format}: our reader gives back every packet, time and (pcapng) the whole frame`, () => {
      const {bytes} = write(format)
      assert.ok(isCapture(bytes))
      const capture = readCapture(bytes)
      assert.equal(capture.format, format)
      assert.equal(capture.records.length, frames.length)
      capture.records.forEach((r, i) => {
        assert.deepEqual(r.data, decodePkt0Frame(frames[i]).packet)
        assert.equal(r.micros, T0 + i * 1001)
        assert.equal(r.linktype, 1)
        if (format === 'pcapng') {
          const headers = headersFromComment(r.comment)
          assert.ok(headers)
          assert.deepEqual(new Uint8Array([...headers, ...r.data]), frames[i])
        } else {
          assert.equal(r.comment, undefined)
        }
      })
    })
  }

  test('pcap-parser (npm) reads our pcap: same count, bytes and times', async () => {
    const {path} = write('pcap')
    const read = await pcapParserRead(path)
    assert.equal(read.linkType, 1)
    assert.equal(read.packets.length, frames.length)
    read.packets.forEach((p, i) => {
      assert.deepEqual(new Uint8Array(p.data), decodePkt0Frame(frames[i]).packet)
      assert.equal(p.header.timestampSeconds * 1e6 + p.header.timestampMicroseconds, T0 + i * 1001)
      assert.equal(p.header.originalLength, p.data.length)
    })
  })

  for (const format of ['pcap', 'pcapng'] as const) {
    test(`tcpdump -r reads our ${format} and summarises every packet as we do`, {skip: !TCPDUMP && 'tcpdump is not installed'}, () => {
      const {path} = write(format)
      const lines = tcpdumpRead(path)
      assert.equal(lines.length, frames.length)
      frames.forEach((f, i) => {
        // tcpdump -n shows VLAN tags only with -e, and no DHCP message type without -v.
        const ours = packetSummary(decodePacket(decodePkt0Frame(f).packet)).replace(/^vlan \d+, p \d+, /, '').replace(/(BOOTP\/DHCP, .*, length \d+), \w+$/, '$1')
        assert.equal(lines[i], ours)
      })
    })
  }
})

describe('directions and whole frames', () => {
  test('pcapng keeps each record\'s direction (epb_flags of the interface pkt0: to the agent is outbound); pcap cannot', () => {
    for (const format of ['pcapng', 'pcap'] as const) {
      const w = new CaptureWriter(format)
      const bytes = new Uint8Array(Buffer.concat([w.header(), w.record(frames[0], T0, undefined, 'to-agent'), w.record(frames[1], T0, 'x', 'from-agent'), w.record(frames[2], T0)]))
      const directions = readCapture(bytes).records.map((r) => r.direction)
      assert.deepEqual(directions, format === 'pcapng' ? ['to-agent', 'from-agent', undefined] : [undefined, undefined, undefined])
    }
  })

  test('a whole frame is told from a packet: every fixture frame is one, none of their packets is', () => {
    for (const f of frames) {
      assert.equal(looksLikePkt0Frame(f), true)
      assert.equal(looksLikePkt0Frame(decodePkt0Frame(f).packet), false)
    }
  })
})

describe('broken capture files', () => {
  test('an unknown magic, a cut header or record: one DecodeError each', () => {
    const {bytes} = write('pcap')
    assert.throws(() => readCapture(Uint8Array.of(1, 2, 3, 4, 5)), (e: unknown) => e instanceof DecodeError && e.code === 'BAD_CAPTURE')
    assert.throws(() => readCapture(bytes.subarray(0, 20)), (e: unknown) => e instanceof DecodeError && e.code === 'TRUNCATED')
    assert.throws(() => readCapture(bytes.subarray(0, bytes.length - 1)), (e: unknown) => e instanceof DecodeError && e.code === 'TRUNCATED')
    const ng = write('pcapng').bytes
    assert.throws(() => readCapture(ng.subarray(0, ng.length - 4)), (e: unknown) => e instanceof DecodeError && e.code === 'TRUNCATED')
  })

  test('random and mutated files: records or a DecodeError, never anything else', () => {
    const files = [write('pcap').bytes, write('pcapng').bytes]
    fc.assert(
      fc.property(fc.nat(1), fc.array(fc.tuple(fc.nat(4000), fc.nat(255)), {maxLength: 8}), fc.nat(4000), (which, changes, cut) => {
        const b = files[which].slice(0, cut)
        for (const [at, value] of changes) if (at < b.length) b[at] = value
        try {
          for (const r of readCapture(b).records) assert.ok(r.data.length <= b.length)
        } catch (error) {
          assert.ok(error instanceof DecodeError, String(error))
        }
      }),
      {numRuns: 500},
    )
  })
})
