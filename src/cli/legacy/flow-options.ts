/**
 * The stock `flow` command line (TF utils/flow.c main, parse_long_opts, validate_options) and its `--match` grammar
 * (flow_set_match, flow_set_ip, flow_set_tuple, flow_set_family, and vr_extract_token / vr_valid_ipv4_address /
 * vr_valid_ipv6_address of utils/vr_util.c), walked as the C code walks them: options act in order, a bad --match
 * or -p ends the run at once with the stock messages, and index 0 counts as "no index".
 */
import type {FlowMatch, MatchEnd} from '../../lib/model/flow.js'
import {parseIpv4, parseIpv6} from '../../lib/model/addresses.js'
import {type Parsed, cLong} from './getopt.js'

export type FlowOperation = 'list' | 'rate' | 'stats' | 'perf' | 'flush' | 'entry'
/** The single-flow verbs: forward, drop, invalidate, evict, get. */
export type FlowVerb = 'f' | 'd' | 'i' | 'e' | 'g'

export interface FlowCommand {
  readonly operation: FlowOperation
  readonly verb?: FlowVerb
  /** The flow index (C's unsigned long). */
  readonly index: bigint
  readonly showEvicted: boolean
  /** --mirror, -1 when not given. */
  readonly mirror: number
  readonly match?: FlowMatch
  readonly perf: number
  /** -b: messages per send in -p (1 to MAX_BUNCH). */
  readonly bunch: number
}

export interface FlowWalk {
  /** What the stock tool printed while parsing (stdout). */
  readonly printed: string
  readonly result: {ok: FlowCommand} | {fault: 'usage' | 'help' | 'match' | 'perf'}
}

const MAX_FLOWS = 4000000
const MAX_BUNCH = 15
const PROTOCOLS: readonly (readonly [string, number])[] = [['tcp', 6], ['udp', 17], ['icmp6', 58], ['icmp', 1], ['sctp', 132]]

/** strtoul (base 0) as the stock tool stores it: an unsigned long, and whether errno was set. */
function strtoul(text: string): {value: bigint; error: boolean} {
  const r = cLong(text, 'strtoul')
  return {value: r.value, error: r.overflow}
}

/** The --match parser: C string handling over an array of characters, NUL as the end of a string. */
class MatchParser {
  out = ''
  family: 'inet' | 'inet6' | undefined
  first: MatchEnd | undefined
  second: MatchEnd | undefined
  proto = -1
  vrf = -1
  private readonly s: string[]

  constructor(text: string) {
    this.s = [...text, '\0']
  }

  private strlen(at: number): number {
    let n = 0
    while (this.s[at + n] !== '\0' && at + n < this.s.length) n++
    return n
  }

  private str(at: number): string {
    return this.s.slice(at, at + this.strlen(at)).join('')
  }

  /** vr_extract_token: the position of the token (spaces trimmed, terminated), or undefined. */
  private extract(at: number, separator: string): number | undefined {
    while (this.s[at] === ' ') at++
    if (this.strlen(at) === 0) return undefined
    if (this.s[at] === separator) {
      this.out += 'Malformed request: separator used incorrectly \n'
      return undefined
    }
    let sep = -1
    for (let i = at; this.s[i] !== '\0'; i++) {
      if (this.s[i] === separator) {
        sep = i
        break
      }
    }
    if (sep >= 0) this.s[sep] = '\0'
    let last = at + this.strlen(at) - 1
    while (this.s[last] === ' ' && --last > at);
    this.s[last + 1] = '\0'
    if (sep >= 0 && sep - at !== this.strlen(at)) this.s[sep] = ' '
    return at
  }

  /** flow_set_match: the terms separated by '&'. */
  parse(): boolean {
    const length = this.strlen(0)
    let at = 0
    for (;;) {
      const token = this.extract(at, '&')
      let ok = true
      if (token !== undefined) {
        const tokenLength = this.strlen(token) + 1
        const text = this.str(token)
        if (text.startsWith('proto')) ok = this.setProto(token + 6)
        else if (text.startsWith('vrf')) ok = this.setVrf(token + 4)
        else ok = this.setIp(token)
        at = token + tokenLength
      }
      if (!ok) return false
      if (token === undefined || at >= length) return true
    }
  }

  private tail(at: number): string {
    return at < this.s.length ? this.str(at) : ''
  }

  private setProto(at: number): boolean {
    const text = this.tail(at)
    if (text === '') return false
    const known = PROTOCOLS.find(([name]) => text.startsWith(name))
    if (!known) {
      this.out += `Unsupported protocol "${text}"\n`
      return false
    }
    this.proto = known[1]
    return true
  }

  private setVrf(at: number): boolean {
    const text = this.tail(at)
    if (text === '') return false
    const {value, error} = strtoul(text)
    if (error) return false
    this.vrf = Number(BigInt.asIntN(32, value))
    return true
  }

  /** flow_set_ip: the endpoints separated by ','. */
  private setIp(start: number): boolean {
    const length = this.strlen(start)
    let at = start
    for (;;) {
      let token = this.extract(at, ',')
      if (token === undefined) token = this.extract(at, '&')
      if (token !== undefined) {
        const tokenLength = this.strlen(token) + 1
        if (!this.setTuple(this.str(token))) return false
        at = token + tokenLength
      }
      if (token === undefined || at - start >= length) return true
    }
  }

  private setTuple(text: string): boolean {
    if (text.includes('[')) {
      const close = text.lastIndexOf(']')
      if (close < 0) {
        this.out += "match: No closing ']'\n"
        return false
      }
      const addressLength = close + 1
      if (text.length - addressLength < 2 || text[addressLength] !== ':') {
        this.out += 'match: match string should be in [aa:aa::aa:aa]:p format\n'
        return false
      }
      return this.setFamily('inet6', text.slice(1, close), text.slice(addressLength + 1))
    }
    const colon = text.indexOf(':')
    if (colon < 0) return this.setFamily('inet', text, undefined)
    // Two colons or more: an IPv6 address without a port (the stock tool ignores the outcome of this one).
    if (text.lastIndexOf(':') !== colon) {
      this.setFamily('inet6', text, undefined)
      return true
    }
    return this.setFamily('inet', text.slice(0, colon), text.slice(colon + 1))
  }

  private setFamily(family: 'inet' | 'inet6', address: string, port: string | undefined): boolean {
    if (this.first && this.second) {
      this.out += `match: Why do you specify "[${address}]:${port ?? '(null)'}" when both ends of the flow are already specified\n`
      return false
    }
    if (!(family === 'inet' ? validIpv4(address) : validIpv6(address))) {
      this.out += `match: "${address}" is not a valid ${family === 'inet' ? 'ipv4' : 'ipv6'} address format\n`
      return false
    }
    if (this.family && this.family !== family) {
      this.out += 'match: You are trying to match v4 and v6 flow together\nmatch: It does not make sense to me at this point of time\n'
      return false
    }
    this.family ??= family
    // Any one-character address is a wildcard; an address inet_pton refuses matches as zeros.
    const bytes = address.length === 1 ? undefined : ((family === 'inet' ? parseIpv4(address) : parseIpv6(address)) ?? new Uint8Array(family === 'inet' ? 4 : 16))
    const end: MatchEnd = {...(bytes ? {address: bytes} : {}), port: port !== undefined && !port.startsWith('*') ? Number(BigInt.asIntN(32, strtoul(port).value)) : -1}
    if (!this.first) this.first = end
    else this.second = end
    return true
  }
}

function validIpv4(address: string): boolean {
  if (address === '*') return true
  let digits = 0
  let dots = 0
  for (let i = 0; i < address.length; i++) {
    const c = address[i]
    if (c >= '0' && c <= '9') digits++
    else if (i > 0 && c === '.') {
      digits = 0
      dots++
    } else return false
    if (digits > 3 || dots > 3) return false
  }
  return dots === 3
}

function validIpv6(address: string): boolean {
  if (address === '*') return true
  let run = 0
  let colons = 0
  for (const c of address) {
    if (/[0-9A-Za-z]/.test(c)) run++
    else if (c === ':') {
      run = 0
      colons++
    } else return false
    if (run > 4 || colons > 7) return false
  }
  return true
}

/** Parses a --match string: the selection, or undefined with the stock messages in `printed`. */
export function parseFlowMatch(text: string): {match?: FlowMatch; printed: string} {
  const p = new MatchParser(text)
  const ok = p.parse()
  return {printed: p.out, ...(ok ? {match: {...(p.family ? {family: p.family} : {}), ...(p.first ? {first: p.first} : {}), ...(p.second ? {second: p.second} : {}), proto: p.proto, vrf: p.vrf}} : {})}
}

export function walkFlowOptions(parsed: Parsed): FlowWalk {
  let printed = ''
  let verb: FlowVerb | undefined
  let index = 0n
  let list = false
  let rate = false
  let stats = false
  let flush = false
  let perf = 0
  let bunch = 1
  let mirror = -1
  let matched = false
  let match: FlowMatch | undefined
  const showEvicted = parsed.options.some((o) => o.id === 'show-evicted')
  const fault = (kind: 'usage' | 'help' | 'match' | 'perf'): FlowWalk => ({printed, result: {fault: kind}})
  for (const o of parsed.options) {
    const value = o.value ?? ''
    switch (o.id) {
      case 'f':
      case 'g':
      case 'd':
      case 'i':
      case 'e':
        if (o.long) {
          // --get and --force-evict: strtoul with its errno checked.
          const r = strtoul(value)
          if (r.error) return fault('usage')
          index = r.value
        } else {
          index = strtoul(value).value
        }
        verb = o.id
        break
      case 'l':
        list = true
        break
      case 'r':
        rate = true
        break
      case 's':
        stats = true
        break
      case 'F':
        flush = true
        break
      case 'p': {
        const n = Number(BigInt.asIntN(32, strtoul(value).value))
        if (n > MAX_FLOWS) {
          printed += `Invalid perf count ${n}. Max value ${MAX_FLOWS}\n`
          return fault('perf')
        }
        perf = n
        break
      }
      case 'b':
        bunch = Math.max(1, Number(BigInt.asIntN(32, strtoul(value).value)))
        if (bunch > MAX_BUNCH) {
          printed += `Max NETLINK messages in a bunch cannot exceed ${MAX_BUNCH}.\n`
          bunch = MAX_BUNCH
        }
        break
      case 'dvrf':
      case 'mirror': {
        const r = strtoul(value)
        if (r.error) return fault('usage')
        if (o.id === 'mirror') mirror = Number(BigInt.asIntN(32, r.value))
        break
      }
      case 'match': {
        const m = parseFlowMatch(value)
        printed += m.printed
        if (!m.match) return fault('match')
        match = m.match
        matched = true
        list = true
        break
      }
      case 'help':
        return fault('help')
      case '?':
      case ':':
        return fault('usage')
      // --show-evicted, --sock-dir/-u and our additions are read elsewhere.
    }
  }
  if ((index === 0n && !list && !rate && !stats && !matched && !perf && !flush) || (showEvicted && !list)) return fault('usage')
  const operation: FlowOperation = list ? 'list' : rate ? 'rate' : stats ? 'stats' : perf ? 'perf' : flush ? 'flush' : 'entry'
  return {printed, result: {ok: {operation, ...(verb ? {verb} : {}), index, showEvicted, mirror, ...(match ? {match} : {}), perf, bunch}}}
}
