/**
 * Run as a child (inside a network namespace): opens a generic netlink socket, resolves the controller's own family
 * and the vRouter's, joins the controller's "notify" multicast group (0x10) and tries a group no family has, and
 * prints what it found as one JSON line.
 */
import {NoSuchFamily, VROUTER_FAMILY, resolveFamily} from '../src/lib/ksync/genl.js'
import {TransportError} from '../src/lib/transport/endpoint.js'
import {NetlinkSocket} from '../src/lib/transport/netlink.js'

function join(socket: NetlinkSocket, group: number): string {
  try {
    socket.join(group)
    return 'joined'
  } catch (error) {
    if (error instanceof TransportError) return error.errno ?? error.message
    throw error
  }
}

const socket = NetlinkSocket.open()
try {
  const nlctrl = await resolveFamily(socket, 'nlctrl', 2000)
  const vrouter = await resolveFamily(socket, VROUTER_FAMILY, 2000, 1).catch((error: unknown) => {
    if (error instanceof NoSuchFamily) return 'absent'
    throw error
  })
  const groups = {notify: join(socket, 0x10), unknown: join(socket, 9999)}
  process.stdout.write(`${JSON.stringify({portId: socket.portId, nlctrl, vrouter, groups})}\n`)
} finally {
  socket.close()
}
