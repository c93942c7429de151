/**
 * Which forwarding plane the stock tools talk to, decided exactly as they decide it: from `[DEFAULT] platform` of
 * /etc/contrail/contrail-vrouter-agent.conf, read with their deliberately crude parser (column-0 `#` lines dropped,
 * every whitespace character deleted, the first substring match of the key after `[DEFAULT]`, the value between the
 * first and second `=`), and `--sock-dir` forcing the "vtest" socket.
 */
import {readFileSync} from 'node:fs'
import {DEFAULT_SOCK_DIR, socketPathIn} from '../transport/endpoint.js'
import {FAMILY_ID} from './frame.js'

export const AGENT_CONFIG = '/etc/contrail/contrail-vrouter-agent.conf'

export type Platform = 'kernel' | 'dpdk' | 'nic' | 'vtest'

/** The value of `key` in `[section]` as the stock tools' ini parser finds it (undefined when absent). */
export function iniValue(text: string, section: string, key: string): string | undefined {
  const cleaned = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.replace(/\s/g, ''))
    .join('\n')
  const start = cleaned.indexOf(`[${section}]`)
  if (start < 0) return undefined
  const body = cleaned.slice(start + section.length + 2)
  const end = body.indexOf('[')
  const at = body.indexOf(key)
  if (at < 0 || (end >= 0 && at > end)) return undefined
  const first = body.indexOf('=', at)
  if (first < 0) return undefined
  const line = body.slice(first + 1).split('\n')[0]
  return line.split('=')[0]
}

export interface PlatformChoice {
  readonly platform: Platform
  /** `[DEFAULT] offload=enabled` (dropstats --offload). */
  readonly offload: boolean
}

/** The platform of an agent config text (a missing file is the kernel platform). */
export function platformOf(configText: string | undefined, sockDirGiven: boolean): PlatformChoice {
  const value = configText === undefined ? undefined : iniValue(configText, 'DEFAULT', 'platform')
  const offload = configText !== undefined && iniValue(configText, 'DEFAULT', 'offload') === 'enabled'
  if (value === 'dpdk' || value === 'nic') return {platform: value, offload}
  return {platform: sockDirGiven ? 'vtest' : 'kernel', offload}
}

export function readAgentConfig(path = AGENT_CONFIG): string | undefined {
  try {
    return readFileSync(path, 'latin1')
  } catch {
    return undefined
  }
}

/** The agent config the stock tools read, or the file VROUTER_UTILS_CONFIG names (an extension). */
export const agentConfig = (): string | undefined => readAgentConfig(process.env.VROUTER_UTILS_CONFIG || AGENT_CONFIG)

export const PLATFORMS: readonly Platform[] = ['kernel', 'dpdk', 'nic', 'vtest']

/** The platform our --platform (else VROUTER_UTILS_PLATFORM) forces, when it names one. */
export function forcedPlatform(flag: string | undefined): Platform | undefined {
  const forced = flag ?? process.env.VROUTER_UTILS_PLATFORM
  return PLATFORMS.find((p) => p === forced)
}

/**
 * The socket a tool connects to on a platform, and the family id its requests carry; on the kernel platform (which
 * has none: generic netlink) the DPDK one, for a socket asked for with --transport.
 */
export function socketOf(platform: Platform, sockDir: string | undefined): {path: string; family: number} {
  return {path: socketPathIn(sockDir ?? DEFAULT_SOCK_DIR), family: platform === 'vtest' ? FAMILY_ID.vtest : FAMILY_ID.dpdk}
}
