/**
 * The emulator the benchmarks run in a process of its own: `routes` /32 routes in VRF 1, `nexthops` next hops, served
 * at `path` (busy polling on, the default) and at `<path>.nopoll` (off).
 */
import {createServer} from 'node:net'
import {KsyncServer} from '../src/emulator/server/server.js'
import {make} from '../src/emulator/state/common.js'
import {VrouterState} from '../src/emulator/state/index.js'
import {replay} from './replay-server.js'

export async function serve(path: string, size: {routes: number; nexthops: number}): Promise<void> {
  const state = new VrouterState()
  state.dispatch(make('vr_interface_req', {h_op: 0, vifr_idx: 1, vifr_type: 3, vifr_name: 'tap1'}))
  for (let id = 1; id <= size.nexthops; id++) {
    state.dispatch(make('vr_nexthop_req', {h_op: 0, nhr_id: id, nhr_type: 2, nhr_family: 2, nhr_flags: 1, nhr_encap_oif_id: [1], nhr_encap: Array(14).fill(0)}))
  }
  for (let i = 0; i < size.routes; i++) {
    const prefix = [10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff]
    state.routes.add(make('vr_route_req', {rtr_vrf_id: 1, rtr_family: 2, rtr_prefix: prefix, rtr_prefix_len: 32, rtr_nh_id: 1 + (i % size.nexthops)}).fields)
  }
  await new KsyncServer(state, {path}).listen()
  // The same state served with busy polling off, to compare.
  await new KsyncServer(state, {path: `${path}.nopoll`, busyPollUs: 0}).listen()
  // The same answers as pre-encoded pages (the stock tools' measurement), from a server of their own.
  await replay(path, `${path}.replay`)
  // The floor of any request/reply over this transport: an echo server, same socket kind, no ksync work.
  await new Promise<void>((resolve) => createServer((s) => s.on('data', (d) => s.write(d))).listen(`${path}.echo`, resolve))
  process.stdout.write('ready\n')
}
