/**
 * Run as a child (inside a network namespace): opens a generic netlink socket, resolves the controller's own family
 * and the vRouter's, and prints what it found as one JSON line.
 */
import {NoSuchFamily, VROUTER_FAMILY, resolveFamily} from '../src/lib/ksync/genl.js'
import {NetlinkSocket} from '../src/lib/transport/netlink.js'

const socket = NetlinkSocket.open()
try {
  const nlctrl = await resolveFamily(socket, 'nlctrl', 2000)
  const vrouter = await resolveFamily(socket, VROUTER_FAMILY, 2000, 1).catch((error: unknown) => {
    if (error instanceof NoSuchFamily) return 'absent'
    throw error
  })
  process.stdout.write(`${JSON.stringify({portId: socket.portId, nlctrl, vrouter})}\n`)
} finally {
  socket.close()
}
