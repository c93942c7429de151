/** The `vif --rate` arithmetic and screens, from objects (the stock tool's formats, byte for byte). */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {interfacesPerPage, rateListHeader, rateListLine, rateTimestamp, vifRates} from '../../../src/lib/render/vif-rate.js'
import {codecFor} from '../../../src/lib/sandesh/codec.js'
import type {MessageFields} from '../../../src/lib/sandesh/schema.js'

const vif = (fields: Partial<MessageFields<'vr_interface_req'>>) => ({...codecFor('current').defaults('vr_interface_req').fields, ...fields})

test('rates: (new - old) * 1000 / ms in integers; error counters that went down count as unchanged', () => {
  const before = vif({vifr_ipackets: 1000, vifr_ibytes: 100000, vifr_ierrors: 50, vifr_opackets: 10, vifr_queue_ierrors_to_lcore: [5, 7]})
  const after = vif({vifr_ipackets: 2501, vifr_ibytes: 400000, vifr_ierrors: 40, vifr_opackets: 10, vifr_queue_ierrors_to_lcore: [9, 7]})
  const r = vifRates(after, before, 1500)
  assert.deepEqual([r.vifr_ipackets, r.vifr_ibytes, r.vifr_ierrors, r.vifr_opackets, r.vifr_queue_ierrors_to_lcore], [1000, 200000, 0, 0, [2, 0]])
  const huge = vifRates(vif({vifr_obytes: 2n ** 62n}), vif({vifr_obytes: 0}), 1000)
  assert.equal(huge.vifr_obytes, 2n ** 62n, 'beyond 2^53 the rate stays exact')
  assert.equal(vifRates(after, after, 0).vifr_ipackets, 0, 'the first screen: zeros')
})

test('list screen: header, three-line rows padded as the stock tool pads them, pages', () => {
  assert.equal(
    rateListHeader(),
    'Interface name                VIF ID                        RX                            TX                            \n' +
      '                                                      Errors   Packets              Errors   Packets\n\n',
  )
  const row = vif({vifr_type: 3, vifr_name: 'tap1', vifr_idx: 12, vifr_ierrors: 1, vifr_dev_ierrors: 2, vifr_ipackets: 345, vifr_opackets: 6, vifr_oerrors: 0})
  assert.equal(rateListLine(row), `${'Virtual: tap1'.padEnd(30)}${'vif0/12'.padEnd(24)}${'3        345    '.padEnd(30)}${'0        6      '.padEnd(25)}\n\n\n`)
  assert.deepEqual([interfacesPerPage(11), interfacesPerPage(12), interfacesPerPage(40), interfacesPerPage(200)], [0, 1, 10, 32])
})

test('time line: strftime "%Y-%m-%d %H:%M:%S %z" and a space', () => {
  assert.match(rateTimestamp(new Date(2026, 0, 2, 3, 4, 5)), /^2026-01-02 03:04:05 [+-]\d{4} \n$/)
})
