import {codecFor} from '/work/main/src/lib/sandesh/codec.ts'
import {objectOf} from '/work/main/test/helpers.ts'
const codec = codecFor('current')
const big = process.argv[3] === 'big'
const vif = objectOf('vr_interface_req', {
  vifr_type: 3, vifr_flags: 0x101c1, vifr_vrf: 2, vifr_idx: 7, vifr_os_idx: 31, vifr_mtu: 9000, vifr_name: 'tapa1b2c3d4-e5',
  vifr_ibytes: 424242424242, vifr_ipackets: 4242424242, vifr_obytes: 313131313131, vifr_opackets: 3131313131,
  vifr_mac: Uint8Array.of(0, 0, 0x5e, 0, 1, 0), vifr_ip: 0x05010a0a, vifr_ip6_u: big ? 72058693817991421n : 5, vifr_ip6_l: big ? 360287970189639680n : 7,
  vifr_mir_id: -1, vifr_speed: -1, vifr_duplex: -1, vifr_vlan_id: -1, vifr_parent_vif_idx: -1, vifr_nh_id: 21, vifr_mcast_vrf: 2,
})
const bytes = codec.encode(vif)
const mode = process.argv[2]
let t = performance.now(), n = 0
const N = 1e6
if (mode === 'enc') { for (let i = 0; i < N; i++) n += codec.encode(vif).length }
else { for (let i = 0; i < N; i++) n += codec.decodePayload(bytes).length }
console.log(mode, process.argv[3], (N / (performance.now() - t) * 1000 / 1e6).toFixed(2), 'M/s')
