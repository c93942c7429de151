/**
 * The flags that describe a packet to build (emulator inject, pkt0 send): the keys of a packet description, with
 * hyphens, plus raw bytes; and the addresses an interface gives where the description names none.
 */
import {Flags} from '@oclif/core'
import {codecFor} from '../lib/sandesh/codec.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {PACKET_KINDS, PACKET_SPEC_KEYS, type PacketDefaults, type PacketSpec, buildPacket, vmDefaults} from '../lib/pkt0/build.js'
import {parseHex} from '../lib/ksync/hex.js'
import {InputError} from './exit.js'

const text = (key: keyof PacketSpec) => Flags.string({description: PACKET_SPEC_KEYS[key], dependsOn: ['proto']})
const number = (key: keyof PacketSpec) => Flags.integer({description: PACKET_SPEC_KEYS[key], min: 0, dependsOn: ['proto']})

export const packetFlags = {
  proto: Flags.string({description: `packet to build: ${PACKET_SPEC_KEYS.proto}`, options: [...PACKET_KINDS], exclusive: ['hex']}),
  'src-mac': text('src_mac'),
  'dst-mac': text('dst_mac'),
  src: text('src'),
  dst: text('dst'),
  sport: number('sport'),
  dport: number('dport'),
  flags: text('flags'),
  op: Flags.string({description: PACKET_SPEC_KEYS.op, options: ['request', 'reply', 'gratuitous'], dependsOn: ['proto']}),
  dhcp: text('dhcp'),
  vlan: number('vlan'),
  ttl: number('ttl'),
  length: number('length'),
  seq: number('seq'),
  ack: number('ack'),
  id: number('id'),
  hex: Flags.string({description: 'the packet as hex bytes, from its Ethernet header on'}),
}

export type PacketFlags = Record<string, string | number | boolean | undefined>

/** The description the flags give, or the raw bytes of --hex. */
function packetOf(flags: PacketFlags): PacketSpec | Uint8Array {
  if (typeof flags.hex === 'string') return parseHex(flags.hex)
  if (typeof flags.proto !== 'string') throw new InputError('say what to send: --proto KIND (and its fields) or --hex BYTES')
  const spec: Record<string, unknown> = {}
  for (const key of Object.keys(PACKET_SPEC_KEYS)) {
    const value = flags[key.replaceAll('_', '-')]
    if (value !== undefined) spec[key] = value
  }
  return spec as unknown as PacketSpec
}

/** The addresses of a VM behind interface `vif` (see vmDefaults), and the interface's VRF. */
async function interfaceDefaults(client: KsyncClient, vif: number): Promise<PacketDefaults & {vrf: number}> {
  const request = codecFor('current').defaults('vr_interface_req', {h_op: SandeshOp.GET, vifr_idx: vif})
  const f = (await client.get(request)).fields
  return {...vmDefaults(vif, f.vifr_mac, f.vifr_ip), vrf: f.vifr_vrf}
}

/**
 * The bytes to send: --hex as given, or the description built with the addresses of a VM behind `vif` (which
 * `adjust` may change), asked of the forwarding plane through `connect`; with the interface's VRF when it was asked.
 */
export async function packetBytes(
  flags: PacketFlags,
  vif: number,
  connect: () => Promise<KsyncClient>,
  adjust: (defaults: PacketDefaults) => PacketDefaults = (defaults) => defaults,
): Promise<{bytes: Uint8Array; vrf?: number}> {
  const description = packetOf(flags)
  if (description instanceof Uint8Array) return {bytes: description}
  const client = await connect()
  try {
    const defaults = await interfaceDefaults(client, vif)
    return {bytes: buildPacket(description, adjust(defaults)), vrf: defaults.vrf}
  } finally {
    client.close()
  }
}
