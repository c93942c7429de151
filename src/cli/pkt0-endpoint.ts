/**
 * Where the pkt0 channel is, for the emulator and the pkt0 tool alike: the DPDK vRouter's two datagram sockets in
 * the socket directory (each path may be given), or a named pipe (Windows; a Unix stream socket stands in for one
 * elsewhere).
 */
import {Flags} from '@oclif/core'
import {join} from 'node:path'
import {PKT0_AGENT_SOCKET, PKT0_PIPE, PKT0_VROUTER_SOCKET} from '../lib/model/pkt0.js'
import {DEFAULT_SOCK_DIR} from '../lib/transport/endpoint.js'
import type {Pkt0Path} from '../lib/transport/pkt0.js'

export const pkt0Flags = {
  'pkt0-socket': Flags.string({description: `the forwarding plane's pkt0 datagram socket (default DIR/${PKT0_VROUTER_SOCKET})`, exclusive: ['pipe']}),
  'agent-socket': Flags.string({description: `the agent's pkt0 datagram socket (default DIR/${PKT0_AGENT_SOCKET})`, exclusive: ['pipe']}),
  pipe: Flags.string({description: `pkt0 on a named pipe (default on Windows: ${PKT0_PIPE}), or a Unix stream socket standing in for one`}),
}

export function pkt0PathOf(flags: {'pkt0-socket'?: string; 'agent-socket'?: string; pipe?: string}, dir = DEFAULT_SOCK_DIR): Pkt0Path {
  if (flags.pipe !== undefined || (process.platform === 'win32' && !flags['pkt0-socket'])) return {kind: 'stream', path: flags.pipe ?? PKT0_PIPE}
  return {kind: 'dgram', vrouter: flags['pkt0-socket'] ?? join(dir, PKT0_VROUTER_SOCKET), agent: flags['agent-socket'] ?? join(dir, PKT0_AGENT_SOCKET)}
}
