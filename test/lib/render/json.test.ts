import assert from 'node:assert/strict'
import {test} from 'node:test'
import fc from 'fast-check'
import {flowJson, writeFlowJson} from '../../../src/lib/render/flow.js'
import {JsonBytes, type JsonShape, jsonShape} from '../../../src/lib/render/json.js'
import {FLOW_ENTRY_128, FLOW_ENTRY_256, decodeEntry} from '../../../src/lib/shm/layout.js'

/** What a shape writes for one item, as text; a small buffer first, so that growing it is tried too. */
function written<T>(shape: JsonShape<T>, item: T, index: number): string {
  const out = new JsonBytes(8)
  out.text('>')
  shape.write(item, index, out)
  return Buffer.from(out.take()).toString('utf8').slice(1)
}

test('a shape written as bytes is JSON.stringify of its object, for any values', () => {
  const shape = jsonShape<unknown[]>([
    {key: 'a', value: (v) => v[0]},
    {key: 'quote"key', value: (v) => v[1]},
    {key: 'c', value: (v) => v[2], by: (v) => (typeof v[3] === 'number' ? v[3] : -1)},
  ])
  const value = fc.oneof(fc.string(), fc.string({unit: 'binary'}), fc.double(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.array(fc.oneof(fc.string(), fc.integer())))
  fc.assert(
    fc.property(fc.tuple(value, value, value), fc.nat(1000), (values, index) => {
      // `by` says c depends on nothing here: a fresh shape per case keeps its cache honest.
      const fresh = jsonShape<unknown[]>([
        {key: 'a', value: (v) => v[0]},
        {key: 'quote"key', value: (v) => v[1]},
        {key: 'c', value: (v) => v[2]},
      ])
      assert.equal(written(fresh, values, index), JSON.stringify(fresh.object(values, index)))
    }),
  )
  // The cache is keyed by `by`: the same key gives the same text, another key is encoded afresh.
  assert.equal(written(shape, [1, 2, 'x', 7], 0), '{"a":1,"quote\\"key":2,"c":"x"}')
  assert.equal(written(shape, [1, 2, 'changed', 7], 0), '{"a":1,"quote\\"key":2,"c":"x"}')
  assert.equal(written(shape, [1, 2, 'y', 8], 0), '{"a":1,"quote\\"key":2,"c":"y"}')
})

test('a flow listed as bytes is the same JSON as its object, for any entry bytes, in both layouts', () => {
  for (const layout of [FLOW_ENTRY_256, FLOW_ENTRY_128]) {
    fc.assert(
      fc.property(fc.uint8Array({minLength: layout.size, maxLength: layout.size}), fc.nat(1 << 20), (bytes, index) => {
        const entry = decodeEntry(layout, bytes, 0)
        const out = new JsonBytes(64)
        writeFlowJson(index, entry, out)
        assert.equal(Buffer.from(out.take()).toString('utf8'), JSON.stringify(flowJson(index, entry)))
      }),
      {numRuns: 500},
    )
  }
})
