/**
 * Generic netlink family resolution, as the stock tools do it before their first request (TF utils/unix_util.c,
 * vrouter_obtain_family_id; utils/nl_util.c): CTRL_CMD_GETFAMILY to the controller (GENL_ID_CTRL) with the family
 * name, NUL-terminated and zero-padded to 4 bytes (nla_len counts the padding), seq 0; the answer's
 * CTRL_ATTR_FAMILY_ID is the nlmsg_type of every later request. A kernel without the family answers NLMSG_ERROR
 * -ENOENT.
 */
import {ERRNO} from '../errors.js'
import {TransportError} from '../transport/endpoint.js'
import type {NetlinkSocket} from '../transport/netlink.js'
import {GENL_ID_CTRL, NL_MSG_DEFAULT_SIZE, NLM_F_REQUEST, decodeMessage, encodeMessage} from './frame.js'

export const CTRL_CMD_NEWFAMILY = 1
export const CTRL_CMD_GETFAMILY = 3
export const CTRL_ATTR_FAMILY_ID = 1
export const CTRL_ATTR_FAMILY_NAME = 2
/** The kernel vRouter's generic netlink family (TF linux/vr_genetlink.c). */
export const VROUTER_FAMILY = 'vrouter'

/** The CTRL_CMD_GETFAMILY request the stock tools send for `name`. */
export function getFamilyRequest(name: string, seq: number): Uint8Array {
  const text = new TextEncoder().encode(name)
  const data = new Uint8Array((text.length + 1 + 3) & ~3)
  data.set(text)
  return encodeMessage({kind: 'control', type: GENL_ID_CTRL, flags: NLM_F_REQUEST, seq, pid: 0, cmd: CTRL_CMD_GETFAMILY, version: 0, attributes: [{type: CTRL_ATTR_FAMILY_NAME, data}]})
}

/** A family the kernel does not have. */
export class NoSuchFamily extends TransportError {
  constructor(readonly family: string) {
    super('NO_SERVER', `the kernel has no generic netlink family "${family}"`, 'ENOENT')
  }
}

/**
 * The id of generic netlink family `name` (seq 0 for the request, as the stock tools' first message); NoSuchFamily
 * when the kernel has none, another TransportError when the controller says something else or nothing in time.
 */
export async function resolveFamily(socket: NetlinkSocket, name: string, timeoutMs: number, seq = 0): Promise<number> {
  socket.send(getFamilyRequest(name, seq))
  const into = new Uint8Array(NL_MSG_DEFAULT_SIZE * 4)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const length = await socket.receiveWithin(into, Math.max(0, deadline - Date.now()))
    const reply = decodeMessage(into.subarray(0, Math.min(length, into.length)))
    if (reply.seq !== seq) continue
    if (reply.kind === 'error') {
      if (reply.error === -ERRNO.ENOENT) throw new NoSuchFamily(name)
      throw new TransportError('IO', `the netlink controller refused the lookup of "${name}" (error ${reply.error})`)
    }
    const id = reply.kind === 'control' && reply.cmd === CTRL_CMD_NEWFAMILY ? reply.attributes.find((a) => a.type === CTRL_ATTR_FAMILY_ID) : undefined
    if (!id || id.data.length < 2) throw new TransportError('IO', `the netlink controller's answer about "${name}" has no family id`)
    return new DataView(id.data.buffer, id.data.byteOffset, id.data.length).getUint16(0, true)
  }
}
