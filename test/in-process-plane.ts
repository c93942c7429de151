/** A forwarding plane in the test's own process, as a byte stream: the emulator's answers, framed by flavour. */
import {Duplex} from 'node:stream'
import {KsyncServer} from '../src/emulator/server/server.js'
import {VrouterState} from '../src/emulator/state/index.js'
import type {KsyncClient} from '../src/lib/ksync/client.js'
import {type Flavour, FrameParser, encodeReplyBatch} from '../src/lib/ksync/frame.js'
import type {SandeshObject} from '../src/lib/sandesh/schema.js'
import {objectOf} from './helpers.js'

/** The nlmsg_pid of the replies in the linux flavour. */
export const PORT_ID = 0x1234

/** A forwarding plane holding MPLS labels 0..count-1 (label l → next hop 0). */
export function planeWith(count: number): VrouterState {
  const state = new VrouterState()
  for (let l = 0; l < count; l++) state.handle([objectOf('vr_mpls_req', {h_op: 0, mr_label: l, mr_nhid: 0})])
  return state
}

/** The labels of an MPLS dump, page after page. */
export async function labels(client: KsyncClient): Promise<number[]> {
  const out: number[] = []
  for await (const o of client.dump(objectOf('vr_mpls_req', {h_op: 3}))) out.push((o as SandeshObject<'vr_mpls_req'>).fields.mr_label)
  return out
}

/**
 * A forwarding plane of `flavour` in this process: the emulator's answers, framed as that flavour frames them, each
 * reply batch handed over in two reads cut `cut` bytes in. Records the sequence numbers of the requests, and the
 * bytes of each reply batch.
 */
export function inProcessPlane(state: VrouterState, flavour: Flavour, cut: (batchLength: number) => number): {stream: Duplex; seqs: number[]; replies: Uint8Array[]} {
  const answers = new KsyncServer(state, {path: 'unused', flavour, portId: PORT_ID})
  const parser = new FrameParser()
  const seqs: number[] = []
  const replies: Uint8Array[] = []
  const stream: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      for (const m of parser.push(new Uint8Array(chunk))) {
        if (m.kind !== 'sandesh') continue
        seqs.push(m.seq)
        const bytes = Buffer.concat(encodeReplyBatch(flavour, m, answers.answer(m).replies, PORT_ID))
        replies.push(new Uint8Array(bytes))
        const at = Math.min(cut(bytes.length), bytes.length)
        if (at > 0) stream.push(bytes.subarray(0, at))
        if (at < bytes.length) stream.push(bytes.subarray(at))
      }
      done()
    },
  })
  return {stream, seqs, replies}
}
