/**
 * pkt0 frames: the outer Ethernet header (14 bytes), the agent header (30 bytes, packed, network order) and the packet
 * (shm-pkt0 spec §9.1). Decoding refuses what no forwarding plane sends (a frame no longer than the two headers,
 * as the agent does); judging the header's values is the caller's.
 */
import {DecodeError} from '../errors.js'
import type {AgentHeader, EthernetLayer, Pkt0Frame} from '../model/packet.js'
import {PKT0_ETHER_LEN, PKT0_ETHERTYPE, PKT0_HEADROOM} from '../model/pkt0.js'
import {checkUint, macBytes, macText} from './bytes.js'

export function decodePkt0Frame(bytes: Uint8Array): Pkt0Frame {
  if (bytes.length < PKT0_HEADROOM) {
    throw new DecodeError('TRUNCATED', bytes.length, `a pkt0 frame has ${PKT0_HEADROOM} bytes of headers; this one has ${bytes.length} bytes`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  const h = PKT0_ETHER_LEN
  return {
    outer: {layer: 'ethernet', dst: macText(bytes, 0), src: macText(bytes, 6), ethertype: view.getUint16(12)},
    header: {
      ifindex: view.getUint16(h),
      vrf: view.getUint16(h + 2),
      cmd: view.getUint16(h + 4),
      params: [view.getUint32(h + 6), view.getUint32(h + 10), view.getUint32(h + 14), view.getUint32(h + 18), view.getUint32(h + 22), bytes[h + 26]],
      pad: (bytes[h + 27] << 16) | (bytes[h + 28] << 8) | bytes[h + 29],
    },
    packet: bytes.subarray(PKT0_HEADROOM),
  }
}

export function encodePkt0Frame(frame: Pkt0Frame): Uint8Array {
  const out = new Uint8Array(PKT0_HEADROOM + frame.packet.length)
  writePkt0Headers(out, frame.outer, frame.header)
  out.set(frame.packet, PKT0_HEADROOM)
  return out
}

/** Writes the 44 bytes of headers at the start of `out`. */
export function writePkt0Headers(out: Uint8Array, outer: EthernetLayer, header: AgentHeader): void {
  const view = new DataView(out.buffer, out.byteOffset, out.length)
  out.set(macBytes(outer.dst, 'outer.dst'), 0)
  out.set(macBytes(outer.src, 'outer.src'), 6)
  view.setUint16(12, checkUint(outer.ethertype, 16, 'outer.ethertype'))
  const h = PKT0_ETHER_LEN
  view.setUint16(h, checkUint(header.ifindex, 16, 'header.ifindex'))
  view.setUint16(h + 2, checkUint(header.vrf, 16, 'header.vrf'))
  view.setUint16(h + 4, checkUint(header.cmd, 16, 'header.cmd'))
  for (let i = 0; i < 5; i++) view.setUint32(h + 6 + 4 * i, checkUint(header.params[i], 32, `header.params[${i}]`))
  out[h + 26] = checkUint(header.params[5], 8, 'header.params[5]')
  const pad = checkUint(header.pad, 24, 'header.pad')
  out[h + 27] = pad >>> 16
  out[h + 28] = (pad >>> 8) & 0xff
  out[h + 29] = pad & 0xff
}

/**
 * Whether bytes look like a whole pkt0 frame rather than a packet (a capture of the tap holds frames; ours hold
 * packets): the outer header says IPv4 but no IPv4 header follows — an agent header starts with hdr_ifindex, whose
 * high byte is never version 4's for an interface below 0x4000.
 */
export function looksLikePkt0Frame(bytes: Uint8Array): boolean {
  return bytes.length > PKT0_HEADROOM && ((bytes[12] << 8) | bytes[13]) === PKT0_ETHERTYPE && bytes[PKT0_ETHER_LEN] >> 4 !== 4
}

/** A frame the forwarding plane sends: both outer MACs the pkt0 interface's, IPv4 ethertype, zero pad. */
export function trapFrame(pkt0Mac: string, header: Omit<AgentHeader, 'pad'>, packet: Uint8Array): Pkt0Frame {
  return {outer: {layer: 'ethernet', dst: pkt0Mac, src: pkt0Mac, ethertype: PKT0_ETHERTYPE}, header: {...header, pad: 0}, packet}
}
