/**
 * What a flow's action writes into a packet, on its bytes, with the checksums updated as the forwarding plane
 * updates them (TF dp-core/vr_proto_ip.c vr_inet_flow_nat, vr_proto_ip6.c vr_inet6_flow_nat, vr_flow.c
 * vr_flow_action_default's TTL): incrementally (RFC 1624) for the IP header and the TCP/UDP checksum (a UDP
 * checksum of 0 stays 0), in full for an ICMPv6 message whose addresses changed and for the inner IPv4 header of
 * an ICMP error. An IPv4 ICMP error's own checksum is left as it was, as the dp leaves it.
 *
 * NAT takes the new addresses and ports from the reverse flow's key: SNAT the source from its destination
 * (only when the packet's source is the flow's), DNAT the destination from its source, SPAT the source port from
 * its destination port, DPAT the destination port from its source port; the transport header's first two words
 * are the ports whatever the protocol, unless the packet is a later fragment.
 */
import {FLOW_FLAG, type FlowEntry, addressSize, flowDestination, flowSource} from '../../lib/model/flow.js'
import {IP_PROTO} from '../../lib/model/packet.js'
import {checksum, onesSum} from '../../lib/pkt0/bytes.js'

const {SNAT, SPAT, DNAT, DPAT} = FLOW_FLAG
/** vr_icmp_error: the types whose payload is the offending packet's headers (the IPv6 path asks the same). */
const ICMP_ERROR_TYPES = [3, 11]
const IP6_HEADER = 40
const IP6_FRAGMENT = 44

/** A one's-complement difference of 16-bit words, to add to a checksum's sum. */
interface Difference {
  sum: number
}

/** Writes `value` (an even length) at `at`, adding the change to `diff` when a checksum covers it. */
function replace(bytes: Uint8Array, at: number, value: Uint8Array, diff?: Difference): void {
  if (diff) for (let i = 0; i < value.length; i += 2) diff.sum += (~((bytes[at + i] << 8) | bytes[at + i + 1]) & 0xffff) + ((value[i] << 8) | value[i + 1])
  bytes.set(value, at)
}

const u16 = (value: number) => Uint8Array.of(value >>> 8, value & 0xff)
const sameBytes = (bytes: Uint8Array, at: number, value: Uint8Array) => value.every((b, i) => bytes[at + i] === b)

/** Adds `sum` to the checksum at `at` (RFC 1624 eqn 3). */
function adjust(bytes: Uint8Array, at: number, sum: number): void {
  let c = (~((bytes[at] << 8) | bytes[at + 1]) & 0xffff) + sum
  while (c > 0xffff) c = (c & 0xffff) + (c >>> 16)
  bytes.set(u16(~c & 0xffff), at)
}

/** The TCP or UDP checksum's offset from the transport header, when there is one to update. */
function transportChecksum(bytes: Uint8Array, proto: number, at: number): number | undefined {
  if (proto === IP_PROTO.TCP && at + 18 <= bytes.length) return at + 16
  if (proto === IP_PROTO.UDP && at + 8 <= bytes.length && (bytes[at + 6] | bytes[at + 7]) !== 0) return at + 6
  return undefined
}

/** Writes the NAT of flow `fe` (reverse flow `rfe`) into the IPv4 or IPv6 packet whose network header is at `at`. */
export function natRewrite(bytes: Uint8Array, at: number, fe: FlowEntry, rfe: FlowEntry): void {
  if (addressSize(fe.fe_type) === 16) nat6(bytes, at, fe, rfe)
  else nat4(bytes, at, fe, rfe)
}

/** The ports of the transport header at `t`: SPAT, DPAT (`inner`: the ICMP error's copy, where they are swapped). */
function ports(bytes: Uint8Array, t: number, fe: FlowEntry, rfe: FlowEntry, diff: Difference | undefined, inner: boolean): void {
  if (t + 4 > bytes.length) return
  if (fe.fe_flags & SPAT) replace(bytes, inner ? t + 2 : t, u16(rfe.key_dport), diff)
  if (fe.fe_flags & DPAT) replace(bytes, inner ? t : t + 2, u16(rfe.key_sport), diff)
}

function nat4(bytes: Uint8Array, at: number, fe: FlowEntry, rfe: FlowEntry): void {
  const ihl = (bytes[at] & 0xf) * 4
  const proto = bytes[at + 9]
  const t = at + ihl
  if (proto === IP_PROTO.ICMP && ICMP_ERROR_TYPES.includes(bytes[t]) && t + 28 <= bytes.length) {
    const inner = t + 8
    if (fe.fe_flags & SNAT) replace(bytes, inner + 16, flowDestination(rfe))
    if (fe.fe_flags & DNAT) replace(bytes, inner + 12, flowSource(rfe))
    const innerIhl = (bytes[inner] & 0xf) * 4
    if (fe.fe_flags & (SNAT | DNAT)) {
      bytes.set(u16(0), inner + 10)
      bytes.set(u16(checksum(onesSum(bytes, inner, Math.min(inner + innerIhl, bytes.length)))), inner + 10)
    }
    ports(bytes, inner + innerIhl, fe, rfe, undefined, true)
  }
  const diff: Difference = {sum: 0}
  if (fe.fe_flags & SNAT && sameBytes(bytes, at + 12, flowSource(fe))) replace(bytes, at + 12, flowDestination(rfe), diff)
  if (fe.fe_flags & DNAT) replace(bytes, at + 16, flowSource(rfe), diff)
  const ipSum = diff.sum
  const firstFragment = (((bytes[at + 6] << 8) | bytes[at + 7]) & 0x1fff) === 0
  if (firstFragment) ports(bytes, t, fe, rfe, diff, false)
  if (ipSum) adjust(bytes, at + 10, ipSum)
  const sum = firstFragment ? transportChecksum(bytes, proto, t) : undefined
  if (sum !== undefined) adjust(bytes, sum, diff.sum)
}

function nat6(bytes: Uint8Array, at: number, fe: FlowEntry, rfe: FlowEntry): void {
  const next = bytes[at + 6]
  const t = at + IP6_HEADER
  if (next === IP_PROTO.ICMPV6 && ICMP_ERROR_TYPES.includes(bytes[t]) && t + 8 + IP6_HEADER <= bytes.length) {
    const inner = t + 8
    if (fe.fe_flags & SNAT) replace(bytes, inner + 24, flowDestination(rfe))
    if (fe.fe_flags & DNAT) replace(bytes, inner + 8, flowSource(rfe))
    ports(bytes, inner + IP6_HEADER, fe, rfe, undefined, true)
  }
  const diff: Difference = {sum: 0}
  if (fe.fe_flags & SNAT && sameBytes(bytes, at + 8, flowSource(fe))) replace(bytes, at + 8, flowDestination(rfe), diff)
  if (fe.fe_flags & DNAT) replace(bytes, at + 24, flowSource(rfe), diff)
  const laterFragment = next === IP6_FRAGMENT && (((bytes[t + 2] << 8) | bytes[t + 3]) >>> 3) !== 0
  if (!laterFragment) ports(bytes, t, fe, rfe, diff, false)
  const sum = laterFragment ? undefined : transportChecksum(bytes, next, t)
  if (sum !== undefined) adjust(bytes, sum, diff.sum)
  if (next === IP_PROTO.ICMPV6 && fe.fe_flags & (SNAT | DNAT) && t + 4 <= bytes.length) {
    // vr_icmp6_checksum: over the payload length the header gives, with the pseudo-header.
    const length = (bytes[at + 4] << 8) | bytes[at + 5]
    bytes.set(u16(0), t + 2)
    const pseudo = onesSum(bytes, at + 8, at + 40, IP_PROTO.ICMPV6 + length)
    bytes.set(u16(checksum(onesSum(bytes, t, Math.min(t + length, bytes.length), pseudo))), t + 2)
  }
}

/** An IPv4 packet's TTL becomes the flow's (fe_ttl set and different), its header checksum updated. */
export function ttlRewrite(bytes: Uint8Array, at: number, ttl: number): void {
  if (!ttl || bytes[at + 8] === ttl) return
  const diff: Difference = {sum: 0}
  replace(bytes, at + 8, Uint8Array.of(ttl, bytes[at + 9]), diff)
  adjust(bytes, at + 10, diff.sum)
}
