/**
 * The worked examples of the spec (§1.12, §1.13, §2.4, §2.7), stored as annotated hex: decoded to the objects the
 * spec describes, re-encoded byte for byte, and fed to the frame parser cut at every offset.
 */
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {describe, test} from 'node:test'
import {decodeKsync, encodeDocument} from '../../../src/lib/ksync/document.js'
import {
  type Flavour,
  FrameParser,
  type NetlinkMessage,
  encodeMessage,
  encodeReplyBatch,
  encodeRequest,
} from '../../../src/lib/ksync/frame.js'
import {codecFor} from '../../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../../src/lib/sandesh/schema.js'
import {GOLDEN, hexFixture, objectOf} from '../../helpers.js'

const codec = codecFor('current')
const vifGet = objectOf('vr_interface_req', {h_op: 1, vifr_idx: 1})
const mplsDump = objectOf('vr_mpls_req', {h_op: 3, mr_marker: -1})
const mplsObject = objectOf('vr_mpls_req', {mr_label: 16, mr_nhid: 12})
const response = (code: number) => objectOf('vr_response', {h_op: 4, resp_code: code})

const PAYLOADS: Record<string, SandeshObject[]> = {
  'spec-1.12-vif-get-payload': [vifGet],
  'spec-1.12-vif-get-stock-payload': [objectOf('vr_interface_req', {h_op: 1, vifr_idx: 1, vifr_os_idx: -1})],
  'spec-1.13-response-enoent-payload': [response(-2)],
  'spec-1.13-response-dump-more-payload': [response(5 | 0x40000000)],
  'spec-1.13-mpls-dump-request-payload': [mplsDump],
  'spec-1.13-mpls-object-payload': [mplsObject],
}

/** Each framed example: flavour, and how to build the same bytes from objects with the frame API. */
const FRAMES: Record<string, {flavour: Flavour; objects: SandeshObject[][]; build: () => Uint8Array[]}> = {
  'spec-1.12-vif-get-dpdk-request': {flavour: 'dpdk', objects: [[vifGet]], build: () => [encodeRequest(codec.encode(vifGet), {family: 0x20, seq: 0})]},
  'spec-2.7-mpls-dump-dpdk-request': {flavour: 'dpdk', objects: [[mplsDump]], build: () => [encodeRequest(codec.encode(mplsDump), {family: 0x20, seq: 0})]},
  'spec-2.7-mpls-dump-dpdk-reply': {
    flavour: 'dpdk',
    objects: [[response(1)], [mplsObject]],
    build: () => encodeReplyBatch('dpdk', {type: 0x20, seq: 0, cmd: 1, version: 0, reserved: 0}, [codec.encode(response(1)), codec.encode(mplsObject)]),
  },
  'spec-2.7-mpls-dump-linux-reply': {
    flavour: 'linux',
    objects: [[response(1)], [mplsObject], []],
    build: () => encodeReplyBatch('linux', {type: 0x1a, seq: 1, cmd: 1, version: 0, reserved: 0}, [codec.encode(response(1)), codec.encode(mplsObject)], 0x1234),
  },
  'spec-2.7-mpls-dump-windows-reply': {
    flavour: 'windows',
    objects: [[response(1)], [mplsObject], []],
    build: () => encodeReplyBatch('windows', {type: 1, seq: 0, cmd: 1, version: 0, reserved: 0}, [codec.encode(response(1)), codec.encode(mplsObject)]),
  },
  'spec-2.7-get-enoent-dpdk-reply': {
    flavour: 'dpdk',
    objects: [[response(-2)]],
    build: () => encodeReplyBatch('dpdk', {type: 0x20, seq: 7, cmd: 1, version: 0, reserved: 0}, [codec.encode(response(-2))]),
  },
  'spec-2.7-get-enoent-linux-reply': {
    flavour: 'linux',
    objects: [[response(-2)]],
    build: () => encodeReplyBatch('linux', {type: 0x1a, seq: 7, cmd: 1, version: 0, reserved: 0}, [codec.encode(response(-2))], 0x1234),
  },
  'spec-2.4-getfamily-request': {
    flavour: 'linux',
    objects: [[]],
    build: () => [
      encodeMessage({kind: 'control', type: 0x10, flags: 1, seq: 0, pid: 0, cmd: 3, version: 0, attributes: [{type: 2, data: new TextEncoder().encode('vrouter\0')}]}),
    ],
  },
}

const concat = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks))

test('every golden file is covered by a case', () => {
  const files = readdirSync(`${GOLDEN}/ksync`).map((f) => f.replace(/\.hex$/, ''))
  assert.deepEqual(files.sort(), [...Object.keys(PAYLOADS), ...Object.keys(FRAMES)].sort())
})

describe('payload examples', () => {
  for (const [name, objects] of Object.entries(PAYLOADS)) {
    test(name, () => {
      const bytes = hexFixture(`ksync/${name}.hex`)
      assert.deepEqual(codec.decodePayload(bytes), objects)
      assert.deepEqual(codec.encode(...objects), bytes)
      assert.deepEqual(encodeDocument(decodeKsync(bytes)), [bytes])
    })
  }
  test('the 732-byte size of §1.12 and the 30/49-byte sizes of §1.13', () => {
    assert.equal(codec.encodedSize(vifGet), 732)
    assert.equal(codec.encodedSize(response(0)), 30)
    assert.equal(codec.encodedSize(mplsDump), 49)
  })
})

function parseWhole(bytes: Uint8Array, flavour: Flavour): NetlinkMessage[] {
  return new FrameParser({align: flavour === 'linux'}).push(bytes)
}

describe('framed examples', () => {
  for (const [name, {flavour, objects, build}] of Object.entries(FRAMES)) {
    test(name, () => {
      const bytes = hexFixture(`ksync/${name}.hex`)
      assert.deepEqual(concat(build()), bytes, 'the frame API builds the same bytes')
      const doc = decodeKsync(bytes, {flavour})
      assert.equal(doc.form, 'frames')
      if (doc.form !== 'frames') return
      assert.deepEqual(
        doc.frames.map((f) => f.objects),
        objects,
      )
      assert.deepEqual(concat(encodeDocument(doc)), bytes, 'decode → encode is byte-identical')
    })

    test(`${name}: cut at every offset`, () => {
      const bytes = hexFixture(`ksync/${name}.hex`)
      const whole = parseWhole(bytes, flavour)
      for (let cut = 0; cut <= bytes.length; cut++) {
        const parser = new FrameParser({align: flavour === 'linux'})
        const got = [...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut))]
        assert.deepEqual(got, whole, `cut at ${cut}`)
        assert.equal(parser.pendingBytes, 0)
      }
      const bytewise = new FrameParser({align: flavour === 'linux'})
      assert.deepEqual(
        Array.from(bytes).flatMap((b) => bytewise.push(Uint8Array.of(b))),
        whole,
        'fed one byte at a time',
      )
    })
  }
})
