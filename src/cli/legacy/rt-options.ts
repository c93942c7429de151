/**
 * The stock `rt` command line (TF utils/rt.c), walked as its getopt loop and validation walk it: options act in
 * order, `-c`/`-d`/`-b` after another operation and `--cmd` end at once in the low-level usage, `--help`, `-m` and an
 * unknown option end at once in the usage, and the checks of each operation come after the loop.
 */
import {etherAton, parseIpv4, parseIpv6} from '../../lib/model/addresses.js'
import {AF_BRIDGE, AF_INET, AF_INET6} from '../../lib/model/constants.js'
import {type Parsed, atoi, strtol} from './getopt.js'

export type RtOperation = 'create' | 'delete' | 'dump' | 'get'

export interface RtCommand {
  readonly operation: RtOperation | 'monitor'
  readonly family: number
  readonly vrf: number
  /** 16 bytes: an IPv4 prefix fills the first four. */
  readonly prefix: number[]
  readonly prefixLength: number
  readonly replacePrefixLength: number
  readonly nexthop: number
  readonly label: number
  /** -e: given (even when it did not parse: then all zero). */
  readonly mac?: number[]
  /** The route flags of -P/-T/-F/-M. */
  readonly flags: number
  /** -x: raw flag bits, added on create only. */
  readonly customFlags: number
  /** --get's argument, split at the first '/' (surrounding spaces trimmed). */
  readonly getAddress?: string
  readonly getPrefixLength?: string
}

export type RtWalk = {ok: RtCommand} | {fault: 'usage' | 'command-usage' | 'help'}

const SHORT_OPERATIONS: Readonly<Record<string, RtOperation>> = {c: 'create', d: 'delete', b: 'dump'}
const ROUTE_FLAG_OPTIONS: Readonly<Record<string, number>> = {P: 0x2, T: 0x4, F: 0x8, M: 0x10}
const ADDRESS_BITS: Readonly<Record<number, number>> = {[AF_INET]: 32, [AF_INET6]: 128}
/** The value the stock tool starts with for "no next hop given". */
const NEXTHOP_UNSET = -255
const REPLACE_UNSET = 0xffffffff

/** `--family`'s argument: a prefix match, inet6 tested first. */
export function familyOf(text: string): number | undefined {
  if (text.startsWith('inet6')) return AF_INET6
  if (text.startsWith('inet')) return AF_INET
  if (text.startsWith('bridge')) return AF_BRIDGE
  return undefined
}

export function walkRtOptions(parsed: Parsed): RtWalk {
  let operation: RtOperation | undefined
  let family = AF_INET
  let vrf = -1
  const prefix = Array<number>(16).fill(0)
  let prefixGiven = false
  let prefixLength = 0
  let replacePrefixLength = REPLACE_UNSET
  let nexthop = NEXTHOP_UNSET
  let label = -1
  let mac: number[] | undefined
  let flags = 0
  let customFlags = 0
  let monitor = false
  let getAddress: string | undefined
  let getPrefixLength: string | undefined
  // The long options that count against a dump given with others (the stock "set" sum).
  const counted = new Set<string>()
  for (const o of parsed.options) {
    const value = o.value ?? ''
    if (!o.long && SHORT_OPERATIONS[o.id]) {
      if (operation !== undefined) return {fault: 'command-usage'}
      operation = SHORT_OPERATIONS[o.id]
      continue
    }
    if (!o.long && ROUTE_FLAG_OPTIONS[o.id]) {
      flags |= ROUTE_FLAG_OPTIONS[o.id]
      continue
    }
    if (o.long && ['dump', 'family', 'cmd', 'help', 'monitor'].includes(o.id)) counted.add(o.id)
    switch (o.id) {
      case 'cmd':
        return {fault: 'command-usage'}
      case 'help':
        return {fault: 'help'}
      case 'm':
      case '?':
        return {fault: 'usage'}
      case 'dump':
        operation = 'dump'
        vrf = strtol(value).value | 0
        break
      case 'family': {
        const f = familyOf(value)
        if (f === undefined) return {fault: 'usage'}
        family = f
        break
      }
      case 'get': {
        operation = 'get'
        const slash = value.indexOf('/')
        getAddress = (slash < 0 ? value : value.slice(0, slash)).trim()
        getPrefixLength = slash < 0 ? undefined : value.slice(slash + 1).trim()
        break
      }
      case 'vrf':
        vrf = o.long ? strtol(value).value | 0 : atoi(value)
        break
      case 'monitor':
        monitor = true
        break
      case 'n':
        nexthop = atoi(value)
        break
      case 'p': {
        const address = parseIpv4(value) ?? parseIpv6(value) ?? []
        prefix.fill(0).splice(0, address.length, ...address)
        prefixGiven = true
        break
      }
      case 'l':
        prefixLength = atoi(value) >>> 0
        break
      case 'r':
        replacePrefixLength = atoi(value) >>> 0
        break
      case 't':
        label = atoi(value)
        break
      case 'f': {
        const n = atoi(value)
        family = n === 0 ? AF_INET : n === 1 ? AF_BRIDGE : AF_INET6
        break
      }
      case 'e':
        mac = Array.from(etherAton(value) ?? [0, 0, 0, 0, 0, 0])
        break
      case 'x':
        customFlags = Number.parseInt(value.trim().replace(/^0x/i, ''), 16) || 0
        break
      // -s (a source address, parsed and never used) and --sock-dir are nothing to the route.
    }
  }
  const command = (op: RtOperation | 'monitor'): RtWalk => ({
    ok: {operation: op, family, vrf, prefix, prefixLength, replacePrefixLength, nexthop, label, mac, flags, customFlags, getAddress, getPrefixLength},
  })
  if (monitor) return command('monitor')
  if (operation === undefined) return {fault: 'usage'}
  const inet = family === AF_INET || family === AF_INET6
  switch (operation) {
    case 'dump':
      if (vrf < 0 || (counted.size > 1 && !counted.has('family'))) return {fault: 'usage'}
      break
    case 'delete':
      if (inet && (replacePrefixLength === REPLACE_UNSET || replacePrefixLength > ADDRESS_BITS[family] || !prefixGiven || nexthop < 0 || vrf < 0)) return {fault: 'command-usage'}
      if (!inet && (mac === undefined || vrf < 0)) return {fault: 'command-usage'}
      break
    case 'create':
      if (inet && (!prefixGiven || nexthop < 0 || vrf < 0)) return {fault: 'command-usage'}
      if (!inet && (mac === undefined || vrf < 0 || nexthop < 0)) return {fault: 'command-usage'}
      break
    case 'get':
      if (vrf < 0 || getAddress === undefined) return {fault: 'usage'}
      break
  }
  return command(operation)
}
