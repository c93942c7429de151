/**
 * Bytes written by the stock C utilities and by the scripted server they ran against (test/fixtures/peer): every
 * request and reply decodes to the field values recorded with the capture and re-encodes to the same bytes.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {FrameParser, type SandeshMessage} from '../../../src/lib/ksync/frame.js'
import {codecFor} from '../../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../../src/lib/sandesh/schema.js'
import {peerCases} from '../../helpers.js'

const codec = codecFor('current')

/** objects.json holds integers beyond 2^53 exactly; JSON.parse would round them, so compare through strings. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise)
  return typeof v === 'bigint' || (typeof v === 'number' && !Number.isSafeInteger(v)) ? String(v) : v
}

function assertMatches(object: SandeshObject, recorded: {name: string; fields: Record<string, unknown>}, where: string): void {
  assert.equal(object.name, recorded.name, where)
  const fields = object.fields as Record<string, unknown>
  for (const [key, value] of Object.entries(recorded.fields)) {
    assert.ok(key in fields, `${where}: ${key} is a field of ${object.name}`)
    assert.deepEqual(normalise(fields[key]), normalise(value), `${where}: ${key}`)
  }
}

function messages(bytes: Uint8Array): SandeshMessage[] {
  return new FrameParser().push(bytes) as SandeshMessage[]
}

describe('stock tool captures', () => {
  for (const c of peerCases().filter((c) => c.requests.length > 0)) {
    test(c.name, () => {
      c.requests.forEach((request, i) => {
        const exchange = c.objects.exchanges[i]
        const [req] = messages(request)
        assert.equal(req.flags, 1, 'requests carry NLM_F_REQUEST only')
        assert.equal(req.seq, i, 'sequence numbers count from 0')
        const [object] = codec.decodePayload(req.payload)
        assertMatches(object, exchange.request_object, `request ${i}`)
        assert.deepEqual(codec.encode(object), req.payload, `request ${i} re-encodes byte for byte`)
        const replies = messages(c.replies[i])
        assert.deepEqual(
          replies.map((m) => m.flags),
          exchange.reply_messages.map((m) => m.nlmsg_flags),
        )
        replies.forEach((reply, j) => {
          const objects = codec.decodePayload(reply.payload)
          assert.equal(objects.length, exchange.reply_messages[j].objects.length)
          objects.forEach((o, k) => assertMatches(o, exchange.reply_messages[j].objects[k], `reply ${i}.${j}.${k}`))
          assert.deepEqual(codec.encode(...objects), reply.payload, `reply ${i}.${j} re-encodes byte for byte`)
        })
      })
    })
  }
})
