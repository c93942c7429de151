/**
 * Opening a ksync client over each transport the forwarding plane may offer:
 *  - netlink: the kernel vRouter, generic netlink family "vrouter" resolved through the controller, linux framing;
 *  - socket:  the DPDK vRouter's Unix stream socket (or an emulator's socket or named pipe), dpdk framing; read
 *             synchronously as the stock tools read it where the rawsock addon is there, else through the event loop;
 *  - pipe:    the Windows vRouter's ksync device (or its stand-in, see transport/device.ts), windows framing, family 1;
 *             a `\\.\pipe\NAME` path is a named pipe an emulator serves, a stream.
 */
import {FAMILY_ID, NL_MSG_DEFAULT_SIZE} from './frame.js'
import {type ClientOptions, KsyncClient} from './client.js'
import {NoSuchFamily, VROUTER_FAMILY, resolveFamily} from './genl.js'
import type {Platform} from './platform.js'
import {KSYNC_DEVICE, openKsyncDevice} from '../transport/device.js'
import {TransportError, isPipePath} from '../transport/endpoint.js'
import {type MessageEndpoint, messageStream} from '../transport/message-stream.js'
import {NetlinkSocket} from '../transport/netlink.js'
import {rawSocketsAvailable} from '../transport/raw-socket.js'
import {connectUnixStream} from '../transport/unix-stream.js'

export const TRANSPORTS = ['netlink', 'socket', 'pipe'] as const
export type Transport = (typeof TRANSPORTS)[number]

export interface KsyncTarget {
  readonly transport: Transport
  /** socket: the socket or pipe; pipe: the device (default \\.\vrouterKsync). */
  readonly path?: string
  /** socket: the family id requests carry (0x20 on DPDK, 0 in vtest mode). */
  readonly family?: number
  readonly timeoutMs: number
  /** netlink: a multicast group to join, whose messages the client hands out as notifications (rt --monitor). */
  readonly group?: number
}

export interface KsyncConnection {
  readonly client: KsyncClient
  /** What was opened, for --verbose and doctor: "generic netlink, family "vrouter" = 0x1a, port id 1234", "socket PATH, family 0x0, synchronous". */
  readonly description: string
}

/**
 * The transport the stock tools would use: the device on Windows (WIN utils/windows_util.c), the socket when one is
 * named, generic netlink on the kernel platform, the socket on the others (TF utils/ini_parser.c); with `why`.
 */
export function chooseTransport(platform: Platform, options: {socket?: string; os?: NodeJS.Platform} = {}): {transport: Transport; why: string} {
  if ((options.os ?? process.platform) === 'win32') return {transport: 'pipe', why: 'Windows'}
  if (options.socket !== undefined) return {transport: 'socket', why: '--socket'}
  return {transport: platform === 'kernel' ? 'netlink' : 'socket', why: `platform ${platform}`}
}

/** Said when the kernel has no vrouter family: the module is not loaded (or not in this network namespace). */
export const MODULE_NOT_LOADED = 'vRouter kernel module not loaded'

/** The largest reply message expected on a message transport (a dump page, 3968 bytes of objects, fits in 4096). */
const MAX_REPLY = NL_MSG_DEFAULT_SIZE * 16
/** How long a receive of a socket waits in poll before the event loop gets a turn (timers, Ctrl-C). */
const WAIT_SLICE_MS = 10

export async function openKsync(target: KsyncTarget): Promise<KsyncConnection> {
  switch (target.transport) {
    case 'netlink':
      return openNetlink(target.timeoutMs, target.group)
    case 'socket': {
      const path = target.path
      if (path === undefined) throw new TransportError('BAD_PATH', 'the socket transport needs a socket path')
      const family = target.family ?? FAMILY_ID.dpdk
      const options = {flavour: 'dpdk', family, timeoutMs: target.timeoutMs} as const
      const description = `socket ${path}, family 0x${family.toString(16)}`
      if (isPipePath(path) || !rawSocketsAvailable()) return {client: await KsyncClient.connect(path, options), description}
      return {client: clientOver(connectUnixStream(path, target.timeoutMs), options, WAIT_SLICE_MS), description: `${description}, synchronous`}
    }
    case 'pipe': {
      const path = target.path ?? KSYNC_DEVICE
      const options = {flavour: 'windows', family: FAMILY_ID.windows, timeoutMs: target.timeoutMs} as const
      if (isPipePath(path)) return {client: await KsyncClient.connect(path, options), description: `named pipe ${path}, family 1`}
      const device = await openKsyncDevice(path)
      // The device cannot wait: an empty reply queue reads as 0 bytes at once.
      return {client: clientOver(device, options, 0), description: `device ${path}, family 1`}
    }
  }
}

async function openNetlink(timeoutMs: number, group: number | undefined): Promise<KsyncConnection> {
  const socket = NetlinkSocket.open()
  let family: number
  try {
    if (group !== undefined) socket.join(group)
    family = await resolveFamily(socket, VROUTER_FAMILY, timeoutMs)
  } catch (error) {
    socket.close()
    if (error instanceof NoSuchFamily) throw new TransportError('NO_SERVER', MODULE_NOT_LOADED, 'ENOENT')
    throw error
  }
  // The lookup was message 0: the first request is 1, as the stock tools number them.
  const client = clientOver(socket, {flavour: 'linux', family, firstSeq: 1, timeoutMs}, WAIT_SLICE_MS)
  const joined = group === undefined ? '' : `, multicast group ${group}`
  return {client, description: `generic netlink, family "${VROUTER_FAMILY}" = 0x${family.toString(16)}, port id ${socket.portId}${joined}`}
}

/** A client over an endpoint read without the event loop: its stream receives only while the client awaits a reply. */
function clientOver(endpoint: MessageEndpoint, options: ClientOptions, sliceMs: number): KsyncClient {
  let client: KsyncClient | undefined
  const stream = messageStream(endpoint, {maxMessageLength: MAX_REPLY, sliceMs, awaiting: () => client?.awaiting ?? false})
  client = new KsyncClient(stream, options)
  return client
}
