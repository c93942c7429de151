/**
 * The `traffic` section of a scenario: packets sent into interfaces once the emulator serves pkt0 — each entry a
 * packet description (the keys of `emulator inject`, with underscores), the interface, how many, and optionally
 * every how many seconds again (a live demo for `pkt0 capture`).
 */
import {EncodeError} from '../../lib/errors.js'
import {PACKET_KINDS, PACKET_SPEC_KEYS, type PacketSpec, buildPacket, vmDefaults} from '../../lib/pkt0/build.js'
import type {JsonSchema} from '../scenario/fields.js'
import type {VrouterState} from '../state/index.js'
import type {Datapath} from './datapath.js'

export interface TrafficEntry extends PacketSpec {
  readonly vif: number
  readonly count?: number
  readonly every?: number
}

const NUMERIC = new Set(['sport', 'dport', 'vlan', 'ttl', 'length', 'seq', 'id'])

export function trafficSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    vif: {type: 'integer', minimum: 0, description: 'the interface the packets enter'},
    count: {type: 'integer', minimum: 1, description: 'packets each time (default 1)'},
    every: {type: 'integer', minimum: 1, description: 'seconds between sendings (default: once, at start)'},
  }
  for (const [key, description] of Object.entries(PACKET_SPEC_KEYS)) {
    properties[key] = key === 'proto' ? {enum: [...PACKET_KINDS], description} : key === 'op' ? {enum: ['request', 'reply', 'gratuitous'], description} : NUMERIC.has(key) ? {type: 'integer', minimum: 0, description} : {type: 'string', description}
  }
  return {type: 'array', description: 'packets sent into interfaces when the emulator starts (emulator inject, from the scenario)', items: {type: 'object', additionalProperties: false, required: ['vif', 'proto'], properties}}
}

/** The packet of an entry, with the interface's addresses where the entry names none; throws EncodeError. */
export function trafficPacket(state: VrouterState, entry: TrafficEntry): Uint8Array {
  const vif = state.interfaces.get(entry.vif)
  if (!vif) throw new EncodeError('vif', `no interface ${entry.vif}`)
  return buildPacket(entry, vmDefaults(entry.vif, vif.fields.vifr_mac, vif.fields.vifr_ip))
}

/** Sends every entry's packets now, and again every `every` seconds; returns what stops the repeats. */
export function startTraffic(state: VrouterState, datapath: Datapath, entries: readonly TrafficEntry[]): () => void {
  const timers: NodeJS.Timeout[] = []
  for (const entry of entries) {
    const packet = trafficPacket(state, entry)
    const send = () => {
      for (let i = 0; i < (entry.count ?? 1); i++) datapath.receive(entry.vif, packet)
    }
    send()
    if (entry.every) timers.push(setInterval(send, entry.every * 1000))
  }
  return () => timers.forEach((t) => clearInterval(t))
}
