/**
 * Where the pkt0 channel is, for the emulator and the pkt0 tool alike: the DPDK vRouter's two datagram sockets in
 * the socket directory (each path may be given), or a named pipe (Windows; a Unix stream socket stands in for one
 * elsewhere); for pkt0 capture also the kernel vRouter's tap interface.
 */
import {Flags} from '@oclif/core'
import {join} from 'node:path'
import {forcedPlatform, platformOf} from '../lib/ksync/platform.js'
import {PKT0_AGENT_SOCKET, PKT0_INTERFACE, PKT0_PIPE, PKT0_VROUTER_SOCKET} from '../lib/model/pkt0.js'
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

/** The flags that name a socket or pipe. */
export const PKT0_ENDPOINT_FLAGS = ['sock-dir', 'pkt0-socket', 'agent-socket', 'pipe'] as const

interface SourceFlags {
  interface?: string
  platform?: string
  'sock-dir'?: string
  'pkt0-socket'?: string
  'agent-socket'?: string
  pipe?: string
}

export type Pkt0Source = {readonly kind: 'interface'; readonly name: string} | {readonly kind: 'endpoint'; readonly path: Pkt0Path}

/**
 * Where pkt0 capture looks: the interface named; else a socket or pipe named; else as the stock tools choose the
 * forwarding plane (--platform, else the agent config `configText`): the kernel's tap pkt0, or the DPDK sockets
 * (the pipe on Windows).
 */
export function pkt0SourceOf(flags: SourceFlags, configText: string | undefined, os: NodeJS.Platform = process.platform): Pkt0Source {
  if (flags.interface !== undefined) return {kind: 'interface', name: flags.interface}
  const named = PKT0_ENDPOINT_FLAGS.some((f) => flags[f] !== undefined)
  const platform = forcedPlatform(flags.platform) ?? platformOf(configText, false).platform
  if (!named && os !== 'win32' && platform === 'kernel') return {kind: 'interface', name: PKT0_INTERFACE}
  return {kind: 'endpoint', path: pkt0PathOf(flags, flags['sock-dir'])}
}
