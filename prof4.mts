import {codecFor} from '/work/main/src/lib/sandesh/codec.ts'
const codec = codecFor('current')
const o = codec.defaults('vr_mem_stats_req')
const bytes = codec.encode(o)
let n = 0
for (let i = 0; i < 3e6; i++) n += codec.decodePayload(bytes).length
