/** The ksync client against the emulator: pipelined requests, dumps, no-reply timeouts, a vanished server. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {VrouterError} from '../../src/lib/errors.js'
import {TransportError} from '../../src/lib/transport/endpoint.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {req, startEmulator} from './harness.js'

test('pipelined requests each get their own reply', async () => {
  const emu = await startEmulator()
  try {
    const client = await emu.client()
    for (let l = 0; l < 100; l++) await client.request(req('vr_mpls_req', {h_op: 0, mr_label: l, mr_nhid: 0}))
    const replies = await Promise.all(Array.from({length: 100}, (_, l) => client.get(req('vr_mpls_req', {h_op: 1, mr_label: l}))))
    assert.deepEqual(replies.map((r) => r.fields.mr_label), [...Array(100).keys()])
    const [ok, missing] = await Promise.allSettled([client.get(req('vr_mpls_req', {h_op: 1, mr_label: 5})), client.get(req('vr_mpls_req', {h_op: 1, mr_label: 500}))])
    assert.equal(ok.status, 'fulfilled')
    assert.ok(missing.status === 'rejected' && missing.reason instanceof VrouterError && missing.reason.errnoName === 'ENOENT')
  } finally {
    await emu.close()
  }
})

test('a request the forwarding plane never answers times out; the others do not wait for it', async () => {
  const emu = await startEmulator()
  try {
    const client = await emu.client({timeoutMs: 300})
    // An op the MPLS table does not handle gets no reply at all (as on a real vRouter).
    const silent = client.request(req('vr_mpls_req', {h_op: 5}))
    const answered = client.get(req('vrouter_ops', {h_op: 1}))
    assert.equal((await answered).fields.vo_mirror_entries, 255)
    await assert.rejects(silent, (e: unknown) => e instanceof TransportError && e.code === 'TIMEOUT')
  } finally {
    await emu.close()
  }
})

// Without the watchdog re-armed for the later deadline, the second request would wait for ever: the test's bound fails it.
test('requests sent at different times each time out, in order; only a pending request holds the process open', {timeout: 20000}, async () => {
  const emu = await startEmulator()
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  try {
    const client = await emu.client({timeoutMs: 300})
    const idle = timers()
    await client.get(req('vrouter_ops', {h_op: 1}))
    assert.equal(timers(), idle, 'answered: the watchdog holds nothing open')
    const failed: string[] = []
    const first = client.request(req('vr_mpls_req', {h_op: 5})).catch((e: TransportError) => failed.push(`first ${e.code}`))
    assert.equal(timers(), idle + 1, 'pending: the watchdog holds the process open')
    await new Promise((resolve) => setTimeout(resolve, 150))
    const second = client.request(req('vr_mpls_req', {h_op: 5})).catch((e: TransportError) => failed.push(`second ${e.code}`))
    await Promise.all([first, second])
    assert.deepEqual(failed, ['first TIMEOUT', 'second TIMEOUT'])
    assert.equal(timers(), idle)
  } finally {
    await emu.close()
  }
})

test('the server going away fails what is pending', async () => {
  const emu = await startEmulator()
  const client = await emu.client({timeoutMs: 5000})
  const dump = (async () => {
    const out: SandeshObject[] = []
    for await (const o of client.dump(req('vr_route_req', {h_op: 3, rtr_family: 2, rtr_vrf_id: 0}))) out.push(o)
    return out
  })()
  await emu.close()
  await assert.rejects(
    Promise.all([dump, client.get(req('vrouter_ops', {h_op: 1}))]),
    (e: unknown) => e instanceof TransportError && (e.code === 'CLOSED' || e.code === 'IO'),
  )
})
