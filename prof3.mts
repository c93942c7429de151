import {codecFor} from '/work/main/src/lib/sandesh/codec.ts'
const codec = codecFor('current')
for (const name of ['vr_mem_stats_req', 'vr_drop_stats_req', 'vr_vrf_stats_req', 'vrouter_ops', 'vr_flow_req', 'vr_nexthop_req', 'vr_interface_req']) {
  const o = codec.defaults(name as any)
  const bytes = codec.encode(o)
  let n = 0
  for (let i = 0; i < 2e5; i++) n += codec.decodePayload(bytes).length
  const t = performance.now()
  for (let i = 0; i < 5e5; i++) n += codec.decodePayload(bytes).length
  const ns = (performance.now() - t) / 5e5 * 1e6
  console.log(name, codec.schema.messages.get(name)!.fields.length, 'fields', ns.toFixed(0), 'ns')
}
