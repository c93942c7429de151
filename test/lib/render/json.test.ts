import assert from 'node:assert/strict'
import {test} from 'node:test'
import fc from 'fast-check'
import {flowJson, flowJsonText} from '../../../src/lib/render/flow.js'
import {jsonShape} from '../../../src/lib/render/json.js'
import {FLOW_ENTRY_128, FLOW_ENTRY_256, decodeEntry} from '../../../src/lib/shm/layout.js'

test('a shape written as text is JSON.stringify of its object, for any values', () => {
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
      assert.equal(fresh.text(values, index), JSON.stringify(fresh.object(values, index)))
    }),
  )
  // The cache is keyed by `by`: the same key gives the same text, another key is encoded afresh.
  assert.equal(shape.text([1, 2, 'x', 7], 0), '{"a":1,"quote\\"key":2,"c":"x"}')
  assert.equal(shape.text([1, 2, 'changed', 7], 0), '{"a":1,"quote\\"key":2,"c":"x"}')
  assert.equal(shape.text([1, 2, 'y', 8], 0), '{"a":1,"quote\\"key":2,"c":"y"}')
})

test('a flow listed as text is the same JSON as its object, for any entry bytes, in both layouts', () => {
  for (const layout of [FLOW_ENTRY_256, FLOW_ENTRY_128]) {
    fc.assert(
      fc.property(fc.uint8Array({minLength: layout.size, maxLength: layout.size}), fc.nat(1 << 20), (bytes, index) => {
        const entry = decodeEntry(layout, bytes, 0)
        assert.equal(flowJsonText(index, entry), JSON.stringify(flowJson(index, entry)))
      }),
      {numRuns: 500},
    )
  }
})
