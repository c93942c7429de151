/**
 * The stock `vif` command line (TF utils/vif.c), walked as its getopt loop and validation walk it: values are checked
 * as each option comes (the first bad one ends the run with `Invalid arguments for <context> `), a bad --type or
 * --transport ends it in the usage, and the combination of options seen is checked afterwards. The operation is the
 * last one given, as the stock tool's single "op" variable holds it.
 */
import {etherAton} from '../../lib/model/addresses.js'
import {VIF_FLAGS, VIF_TRANSPORTS, VIF_TYPES, enumValue, flagBit} from '../../lib/model/constants.js'
import {type Parsed, strtol} from './getopt.js'

export type VifOperation = 'add' | 'create' | 'delete' | 'get' | 'list' | 'set' | 'clear'

export interface VifCommand {
  readonly operation: VifOperation
  /** --add: ask the forwarding plane first whether the interface exists (its index is then reused). */
  readonly lookupFirst: boolean
  readonly name: string
  /** The host's index of the interface (--add's name, --vif, or a PMD number). */
  readonly osIndex: number
  /** The target of --get/--delete/--set, -1 when none. */
  readonly vifIndex: number
  /** --id: the index for --add and the target of --clear. */
  readonly explicitIndex?: number
  readonly vrf: number
  readonly mac: number[]
  readonly type: number
  readonly transport: number
  readonly flags: number
  /** --xconnect: up to three indexes, -1 for none. */
  readonly crossConnect: readonly number[]
  /** --core as the user gave it (0-based). */
  readonly core?: number
  readonly vlan: number
  readonly rate: boolean
  readonly dropStats: boolean
}

export type VifWalk = {ok: VifCommand} | {fault: 'usage' | 'help'} | {fault: 'invalid'; context: string}

/** How the walk sees the host: the platform (of the agent config, before --sock-dir) and its interface names. */
export interface VifHost {
  readonly dpdk: boolean
  readonly interfaceIndex: (name: string) => number
  /** --fix short-id: -i takes its number as --id does. */
  readonly shortIdWorks?: boolean
}

const TYPES: readonly (readonly [string, string])[] = [
  // The argument must start with the keyword; virtual-vlan is tried before virtual.
  ['vhost', 'HOST'],
  ['agent', 'AGENT'],
  ['physical', 'PHYSICAL'],
  ['virtual-vlan', 'VIRTUAL_VLAN'],
  ['virtual', 'VIRTUAL'],
  ['xenll', 'XEN_LL_HOST'],
  ['gateway', 'GATEWAY'],
  ['stats', 'STATS'],
  ['monitoring', 'MONITORING'],
]
const TRANSPORTS: readonly (readonly [string, string])[] = [
  ['eth', 'ETH'],
  ['pmd', 'PMD'],
  ['virtual', 'VIRTUAL'],
  ['socket', 'SOCKET'],
]
const OPERATION_OF: Readonly<Record<string, VifOperation>> = {add: 'add', set: 'set', delete: 'delete', get: 'get', list: 'list', clear: 'clear'}
const IFNAMSIZ = 16
const isNumber = (text: string) => /^\d*$/.test(text)

export function walkVifOptions(parsed: Parsed, host: VifHost): VifWalk {
  let name = ''
  let osIndex = -1
  let pmdIndex = -1
  let vifIndex = -1
  let explicitIndex: number | undefined
  let vrf = 0
  const mac = Array<number>(6).fill(0)
  let type = 0
  let transport = 0
  let flags = 0
  const crossConnect = [-1, -1, -1]
  let core: number | undefined
  let vlan = -1
  let needCrossConnect = false
  let needMonitoredVif = false
  let operation: VifOperation | undefined
  const seen = new Set<string>()
  const flag = (constant: string) => flagBit(VIF_FLAGS, constant)
  for (const o of parsed.options) {
    const value = o.value ?? ''
    // Our additions (output modes, live-view settings, connection) are not the stock tool's to count.
    if (o.extension) continue
    if (o.id === '?') return {fault: 'usage'}
    seen.add(o.id === 'short-id' ? 'id' : o.id)
    if (OPERATION_OF[o.id]) operation = OPERATION_OF[o.id]
    switch (o.id) {
      case 'add':
        name = value.slice(0, IFNAMSIZ - 1)
        osIndex = host.interfaceIndex(value)
        if (/^\d/.test(value)) pmdIndex = strtol(value).value
        break
      case 'create':
        name = value.slice(0, IFNAMSIZ - 1)
        break
      case 'vrf':
        if (!isNumber(value)) return {fault: 'invalid', context: 'vif set --vrf'}
        vrf = strtol(value).value | 0
        break
      case 'mac': {
        const parsedMac = etherAton(value)
        if (parsedMac) mac.splice(0, parsedMac.length, ...parsedMac)
        break
      }
      case 'delete':
        if (/^\d/.test(value)) vifIndex = strtol(value).value | 0
        else name = value.slice(0, IFNAMSIZ - 1)
        break
      case 'get':
        if (!isNumber(value)) return {fault: 'invalid', context: 'vif --get'}
        vifIndex = strtol(value).value | 0
        break
      case 'vif':
        // The monitored interface travels in the OS index field.
        if (!isNumber(value)) return {fault: 'invalid', context: 'vif add --vif'}
        osIndex = strtol(value).value | 0
        break
      case 'short-id':
      case 'id':
        // The stock -i hands no argument to the number check, which always fails (unless fixed: then it is --id).
        if ((o.id === 'short-id' && !host.shortIdWorks) || !isNumber(value)) return {fault: 'invalid', context: 'vif add --id'}
        explicitIndex = strtol(value).value | 0
        break
      case 'policy':
        flags |= flag('POLICY_ENABLED')
        break
      case 'pmd':
        flags |= flag('PMD')
        break
      case 'core':
        core = strtol(value).value
        break
      case 'type': {
        const match = TYPES.find(([keyword]) => value.startsWith(keyword))
        if (!match) return {fault: 'usage'}
        type = enumValue(VIF_TYPES, match[1])
        if (match[1] === 'HOST') needCrossConnect = true
        if (match[1] === 'MONITORING') {
          if (!host.dpdk) return {fault: 'usage'}
          needMonitoredVif = true
          vrf = 0
          seen.add('vrf')
          mac.fill(0)[0] = 0x2
          seen.add('mac')
        }
        break
      }
      case 'transport': {
        const match = TRANSPORTS.find(([keyword]) => value.startsWith(keyword))
        if (!match) return {fault: 'usage'}
        transport = enumValue(VIF_TRANSPORTS, match[1])
        break
      }
      case 'set':
        if (!isNumber(value)) return {fault: 'invalid', context: 'vif --set'}
        vifIndex = strtol(value).value | 0
        break
      case 'vlan':
        flags |= flag('SERVICE_IF')
        if (!isNumber(value)) return {fault: 'invalid', context: 'vif set --vlan'}
        vlan = (strtol(value).value << 16) >> 16
        break
      case 'xconnect':
        pmdIndex = crossConnectOf(value, host, crossConnect, pmdIndex)
        break
      case 'dhcp-enable':
        flags |= flag('DHCP_ENABLED')
        break
      case 'vhost-phys':
        flags |= flag('VHOST_PHYS')
        break
    }
  }
  const has = (id: string) => seen.has(id)
  const counted = [...seen].filter((id) => id !== 'sock-dir').length
  if (has('help')) return {fault: 'help'}
  if (counted === 0) return {fault: 'usage'}
  if (has('pmd') || has('pci')) {
    osIndex = pmdIndex
    crossConnect[0] = pmdIndex
  }
  const command = (op: VifOperation): VifWalk => ({
    ok: {
      operation: op, lookupFirst: has('add'), name, osIndex, vifIndex, explicitIndex, vrf, mac, type, transport, flags, crossConnect,
      core, vlan, rate: has('rate'), dropStats: has('get-drop-stats'),
    },
  })
  if (has('create')) return counted > 1 && (counted !== 2 || !has('mac')) ? {fault: 'usage'} : command('create')
  const valid = (): boolean => {
    if (has('get')) return counted <= 1 || counted === 3 || counted === 4 || ['kernel', 'core', 'rate', 'get-drop-stats'].some(has)
    if (has('delete')) return counted <= 1
    if (has('list')) {
      if (has('get-drop-stats')) return false
      const base = has('core') ? 2 : 1
      return has('rate') ? counted <= base + 1 : counted === base
    }
    if (has('add')) return has('vrf') && has('mac') && has('type') && (!needCrossConnect || has('xconnect')) && (!needMonitoredVif || has('vif'))
    if (has('set')) return counted === 3 && has('vrf') && has('vlan')
    if (has('core') && has('clear')) return true
    if (has('core') || has('rate')) return false
    return true
  }
  // Without an operation the stock tool would send an ADD of interface 0 built from whatever was given: refused.
  if (!valid() || operation === undefined) return {fault: 'usage'}
  return command(operation)
}

/**
 * --xconnect's comma list: vif numbers on DPDK (the first one ends the list), interface names elsewhere (an unknown
 * name ends the list silently: the stock check that would report it looks at the next, still unset, slot).
 */
function crossConnectOf(list: string, host: VifHost, slots: number[], pmdIndex: number): number {
  let used = 0
  let pmd = pmdIndex
  for (const item of list.split(',')) {
    if (used >= slots.length) break
    if (host.dpdk) {
      slots[used++] = strtol(item).value | 0
    } else {
      const index = host.interfaceIndex(item)
      if (index === 0) break
      slots[used++] = index
    }
    if (/^\d/.test(item)) pmd = strtol(item).value
    // A PMD number (from here or from --add) ends the list.
    if (pmd !== -1) break
  }
  return pmd
}
