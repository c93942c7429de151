/**
 * The flags that say where the forwarding plane is, shared by every command that talks ksync: --sock-dir (the
 * stock tools' "vtest" mode: DIR/dpdk_netlink, family id 0) or --socket PATH (a socket or pipe, family id 0x20 as
 * the DPDK vRouter's utilities send), defaulting to the DPDK vRouter's /var/run/vrouter/dpdk_netlink.
 */
import {Flags} from '@oclif/core'
import {KsyncClient} from '../lib/ksync/client.js'
import {FAMILY_ID} from '../lib/ksync/frame.js'
import {DEFAULT_SOCK_DIR, socketPathIn} from '../lib/transport/endpoint.js'

export const endpointFlags = {
  'sock-dir': Flags.string({description: 'directory of the dpdk_netlink socket (vtest mode, as the stock tools)', exclusive: ['socket']}),
  socket: Flags.string({description: 'path of the ksync socket or named pipe'}),
  timeout: Flags.integer({description: 'milliseconds to wait for a reply', default: 5000, min: 1}),
}

export interface Endpoint {
  readonly path: string
  readonly family: number
}

export function endpointOf(flags: {'sock-dir'?: string; socket?: string}): Endpoint {
  if (flags['sock-dir'] !== undefined) return {path: socketPathIn(flags['sock-dir']), family: FAMILY_ID.vtest}
  return {path: flags.socket ?? socketPathIn(DEFAULT_SOCK_DIR), family: FAMILY_ID.dpdk}
}

export function connectClient(flags: {'sock-dir'?: string; socket?: string; timeout: number}): Promise<KsyncClient> {
  const {path, family} = endpointOf(flags)
  return KsyncClient.connect(path, {flavour: 'dpdk', family, timeoutMs: flags.timeout})
}
