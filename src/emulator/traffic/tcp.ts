/**
 * TCP state of a flow and its reverse, from the segments the flow stage sees (TF dp-core/vr_flow.c
 * vr_flow_tcp_digest, vr_flow_init_close, vr_flow_tcp_rflow_set): the handshake (SYN, SYN_R, then ESTABLISHED and
 * ESTABLISHED_R on the ack that acknowledges the reverse flow's SYN), the close (FIN, FIN_R, HALF_CLOSE on the ack
 * of a FIN, both flows DEAD when both halves are closed) and resets (RST; accepted only by RFC 5961 §3.2 unless
 * vrouter_ops' vo_uncond_close_flow_on_tcp_rst is set). fe_tcp_seq holds the SYN's sequence number, then the FIN's;
 * fe_tcp_ack the last acknowledged number.
 */
import {FLOW_TCP_FLAGS} from '../../lib/model/constants.js'
import {FLOW_FLAG, type FlowEntry} from '../../lib/model/flow.js'
import {TCP_FLAG} from '../../lib/model/packet.js'

const tcpBit = (name: string) => FLOW_TCP_FLAGS.find(([, n]) => n === name)![0]
export const FLOW_TCP = {
  SYN: tcpBit('SYN'),
  SYN_R: tcpBit('SYN_R'),
  ESTABLISHED: tcpBit('ESTABLISHED'),
  ESTABLISHED_R: tcpBit('ESTABLISHED_R'),
  FIN: tcpBit('FIN'),
  FIN_R: tcpBit('FIN_R'),
  RST: tcpBit('RST'),
  HALF_CLOSE: tcpBit('HALF_CLOSE'),
  DEAD: tcpBit('DEAD'),
} as const

/** What the digest reads of a segment: its flags, numbers, and the bytes after its header. */
export interface TcpSegment {
  readonly flags: number
  readonly seq: number
  readonly ack: number
  readonly dataLength: number
}

/** The entry at a flow index, if any. */
export type FlowLookup = (index: number) => FlowEntry | undefined

const plus = (a: number, b: number) => (a + b) >>> 0

/** Both flows DEAD (the reverse one by fe_rflow alone, as vr_flow_init_close finds it). */
function close(fe: FlowEntry, lookup: FlowLookup): void {
  fe.fe_tcp_flags |= FLOW_TCP.DEAD
  const rfe = lookup(fe.fe_rflow)
  if (rfe) rfe.fe_tcp_flags |= FLOW_TCP.DEAD
}

/** A segment of flow `fe` (the flow and the one its fe_rflow names change). */
export function tcpDigest(fe: FlowEntry, segment: TcpSegment, lookup: FlowLookup, uncondCloseOnRst: boolean): void {
  const {flags, seq, ack} = segment
  const reverse = () => (fe.fe_flags & FLOW_FLAG.RFLOW_VALID ? lookup(fe.fe_rflow) : undefined)
  let rfe: FlowEntry | undefined
  if (flags & TCP_FLAG.ACK) fe.fe_tcp_ack = ack
  if (flags & TCP_FLAG.RST) {
    rfe = reverse()
    if (!uncondCloseOnRst && rfe) {
      // RFC 5961 §3.2: in SYN-SENT the RST must acknowledge the SYN; otherwise its number must be the one acked.
      const acceptable = flags & TCP_FLAG.ACK && rfe.fe_tcp_flags & FLOW_TCP.SYN ? ack === plus(rfe.fe_tcp_seq, 1) : seq === rfe.fe_tcp_ack
      if (!acceptable) return
    }
    fe.fe_tcp_flags |= FLOW_TCP.RST
    if (rfe) rfe.fe_tcp_flags |= FLOW_TCP.RST
    close(fe, lookup)
    return
  }
  if (flags & TCP_FLAG.SYN) {
    fe.fe_tcp_seq = seq
    fe.fe_tcp_flags |= FLOW_TCP.SYN
    rfe = reverse()
    if (rfe) {
      rfe.fe_tcp_flags |= FLOW_TCP.SYN_R
      if (fe.fe_tcp_flags & FLOW_TCP.SYN_R && flags & TCP_FLAG.ACK && ack === plus(rfe.fe_tcp_seq, 1)) establish(fe, rfe)
    }
  } else if (flags & TCP_FLAG.FIN) {
    // The FIN's number is one past the data it carries.
    fe.fe_tcp_seq = plus(seq, segment.dataLength)
    fe.fe_tcp_flags |= FLOW_TCP.FIN
    rfe = reverse()
    if (rfe) rfe.fe_tcp_flags |= FLOW_TCP.FIN_R
  }
  const ackOfInterest = fe.fe_tcp_flags & FLOW_TCP.FIN_R || (!(fe.fe_tcp_flags & FLOW_TCP.ESTABLISHED_R) && fe.fe_tcp_flags & FLOW_TCP.SYN_R)
  if (ackOfInterest && flags & TCP_FLAG.ACK) {
    rfe ??= reverse()
    if (rfe) {
      if (ack === plus(rfe.fe_tcp_seq, 1) && fe.fe_tcp_flags & FLOW_TCP.FIN_R) {
        rfe.fe_tcp_flags |= FLOW_TCP.HALF_CLOSE
        if (fe.fe_tcp_flags & FLOW_TCP.HALF_CLOSE) close(fe, lookup)
      } else if (ack !== rfe.fe_tcp_seq && !(fe.fe_tcp_flags & FLOW_TCP.ESTABLISHED_R)) {
        establish(fe, rfe)
      }
    }
  }
}

/** The ack that completes the handshake: the reverse flow ESTABLISHED, this one ESTABLISHED_R. */
function establish(fe: FlowEntry, rfe: FlowEntry): void {
  rfe.fe_tcp_flags |= FLOW_TCP.ESTABLISHED
  fe.fe_tcp_flags |= FLOW_TCP.ESTABLISHED_R
}

/** A flow the agent links to an existing reverse flow takes over that flow's state (vr_flow_tcp_rflow_set). */
export function tcpFromReverse(fe: FlowEntry, rfe: FlowEntry): void {
  const r = rfe.fe_tcp_flags
  fe.fe_tcp_flags |=
    (r & FLOW_TCP.SYN ? FLOW_TCP.SYN_R : 0) |
    (r & FLOW_TCP.RST ? FLOW_TCP.RST : 0) |
    (r & FLOW_TCP.DEAD ? FLOW_TCP.DEAD : 0) |
    (r & FLOW_TCP.FIN ? FLOW_TCP.FIN_R : 0) |
    (r & FLOW_TCP.ESTABLISHED ? FLOW_TCP.ESTABLISHED | FLOW_TCP.ESTABLISHED_R : 0)
}
