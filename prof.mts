import {codecFor} from '/work/main/src/lib/sandesh/codec.ts'
import {objectOf} from '/work/main/test/helpers.ts'
const codec = codecFor('current')
const route = objectOf('vr_route_req', {h_op: 3, rtr_vrf_id: 2, rtr_family: 2, rtr_prefix: Uint8Array.of(10, 1, 1, 0), rtr_prefix_len: 24, rtr_label_flags: 1, rtr_label: 25, rtr_nh_id: 12, rtr_replace_plen: 24, rtr_index: -1})
const bytes = codec.encode(route)
const mode = process.argv[2]
let t = performance.now(), n = 0
if (mode === 'enc') { for (let i = 0; i < 3e6; i++) n += codec.encode(route).length }
else { for (let i = 0; i < 3e6; i++) n += codec.decodePayload(bytes).length }
console.log(mode, (3e6 / (performance.now() - t) * 1000 / 1e6).toFixed(2), 'M/s')
