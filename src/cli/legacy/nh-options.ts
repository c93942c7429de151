/**
 * The stock `nh` command line (TF utils/nh.c): long options only, each acted on as getopt returns it (a bad MAC or
 * `--cmd` ends the run there), then the verb chosen by priority (create > delete > get > list) and the options the
 * verb and next-hop type use taken off one by one: any option left over makes the command line invalid. A create
 * becomes the ADD request the stock tool builds for its type (utils/vr_util.c vr_send_nexthop_*).
 */
import {etherAton, inetAton, ipv4ToHostInteger, swap16} from '../../lib/model/addresses.js'
import {AF_BRIDGE, AF_INET, NH_FLAG, NH_TYPE} from '../../lib/model/constants.js'
import type {MessageFields} from '../../lib/sandesh/schema.js'
import {type OptionTable, type Parsed, cLong} from './getopt.js'

type NhFields = MessageFields<'vr_nexthop_req'>

/** The stock option table, in its order (getopt lists the candidates of an ambiguous abbreviation in this order). */
const STOCK_OPTIONS: readonly (readonly [name: string, takesArgument: boolean])[] = [
  ['oif', true],
  ['smac', true],
  ['dmac', true],
  ['vrf', true],
  ['type', true],
  ['sip', true],
  ['dip', true],
  ['pol', false],
  ['rpol', false],
  ['l2', false],
  ['sport', true],
  ['dport', true],
  ['l3_vxlan', true],
  ['udp', false],
  ['vxlan', false],
  ['cni', true],
  ['cmc', false],
  ['cfa', false],
  ['mc', false],
  ['cen', false],
  ['cevpn', false],
  ['tor', false],
  ['rlkup', false],
  ['lbl', true],
  ['uucf', false],
  ['list', false],
  ['get', true],
  ['create', true],
  ['delete', true],
  ['cmd', false],
  ['ind', false],
  ['pbb', false],
  ['root', false],
  ['ml', false],
  ['help', false],
  ['sock-dir', true],
  ['ecmp', false],
]

export const NH_OPTIONS: OptionTable = {
  long: STOCK_OPTIONS.map(([name, takesArgument]) => ({name, arg: takesArgument ? 'required' : 'none', id: name})),
  short: '',
  shortIds: {},
}

const STOCK_IDS = new Set(STOCK_OPTIONS.map(([name]) => name))

/** Interfaces (and so MACs) a tunnel takes at most (VR_MAX_PHY_INF), and members of a composite. */
const MAX_INTERFACES = 3
const MAX_COMPONENTS = 32
const ETHER_HEADER_LENGTH = 14
const ETH_P_IP = 0x0800
const ETH_P_ARP = 0x0806

export type NhCommand =
  | {readonly verb: 'list'}
  | {readonly verb: 'get' | 'delete'; readonly id: number}
  | {readonly verb: 'create'; readonly fields: Partial<NhFields>}

export type NhWalk = {readonly ok: NhCommand} | {readonly fault: 'usage' | 'command-usage' | 'help'}

/** What the options set, as the stock tool keeps it (its globals, with their initial values). */
class Settings {
  id = 0
  interfaces = [-1, -1, -1]
  /** How many interfaces the last --oif gave. */
  count = 0
  readonly sourceMacs = [new Uint8Array(6), new Uint8Array(6), new Uint8Array(6)]
  readonly destinationMacs = [new Uint8Array(6), new Uint8Array(6), new Uint8Array(6)]
  l3VxlanMac: Uint8Array = new Uint8Array(6)
  vrf = 0
  type = 0
  sourcePort = 0
  destinationPort = 0
  /** s_addr of the tunnel ends (network order in a host integer). */
  sourceIp = 0
  destinationIp = 0
  readonly members: number[] = []
  readonly labels: number[] = []
}

const int32 = (value: bigint) => Number(BigInt.asIntN(32, value))

/** Reads one option's argument as the stock parse_long_opts does; a fault ends the run at that option. */
function apply(s: Settings, id: string, text: string): 'usage' | 'command-usage' | undefined {
  // strtoul; an out-of-range number (errno ERANGE) is the stock tool's usage.
  const number = () => {
    const n = cLong(text, 'strtoul')
    return n.overflow ? undefined : n.value
  }
  const macs = (into: Uint8Array[]) => {
    const words = text.split(',').filter(Boolean)
    for (const [i, word] of words.entries()) {
      const mac = etherAton(word)
      // More than three would overrun the stock tool's arrays: refused as the usage says "max 3".
      if (!mac || i >= MAX_INTERFACES) return 'command-usage'
      into[i].set(mac)
    }
    return undefined
  }
  switch (id) {
    case 'get':
    case 'create':
    case 'delete': {
      const n = number()
      if (n === undefined) return 'usage'
      s.id = int32(n)
      return undefined
    }
    case 'oif': {
      const words = text.split(',').filter(Boolean)
      if (words.length > MAX_INTERFACES) return 'command-usage'
      const values = words.map((w) => cLong(w, 'atoi'))
      values.forEach((v, i) => (s.interfaces[i] = int32(v.value)))
      s.count = values.length
      return values.some((v) => v.overflow) ? 'usage' : undefined
    }
    case 'smac':
      return macs(s.sourceMacs)
    case 'dmac':
      return macs(s.destinationMacs)
    case 'l3_vxlan': {
      const mac = etherAton(text)
      if (!mac) return 'command-usage'
      s.l3VxlanMac = mac
      return undefined
    }
    case 'sip':
    case 'dip': {
      // inet_aton leaves the address as it was when the text is not one.
      const address = inetAton(text)
      if (address && id === 'sip') s.sourceIp = ipv4ToHostInteger(address)
      if (address && id === 'dip') s.destinationIp = ipv4ToHostInteger(address)
      return undefined
    }
    case 'vrf':
    case 'type':
    case 'sport':
    case 'dport':
    case 'cni':
    case 'lbl': {
      const n = number()
      if (n === undefined) return 'usage'
      if (id === 'vrf') s.vrf = int32(n)
      else if (id === 'type') s.type = int32(n)
      else if (id === 'sport') s.sourcePort = Number(BigInt.asUintN(16, n))
      else if (id === 'dport') s.destinationPort = Number(BigInt.asUintN(16, n))
      else {
        const list = id === 'cni' ? s.members : s.labels
        // The stock arrays hold 32: more would overrun them.
        if (list.length >= MAX_COMPONENTS) return 'command-usage'
        list.push(int32(n))
      }
      return undefined
    }
    default:
      return undefined
  }
}

/** Walks the command line as the stock tool does: the command, or the first fault. */
export function walkNhOptions(parsed: Parsed): NhWalk {
  const s = new Settings()
  const given = new Set<string>()
  for (const o of parsed.options) {
    if (o.id === '?' || o.id === ':') return {fault: 'usage'}
    if (!STOCK_IDS.has(o.id)) continue
    if (o.id === 'cmd') return {fault: 'command-usage'}
    if (o.id === 'help') return {fault: 'help'}
    given.add(o.id)
    const fault = o.value === undefined ? undefined : apply(s, o.id, o.value)
    if (fault) return {fault}
  }
  given.delete('sock-dir')
  const take = (id: string) => given.delete(id)
  const leftover = () => given.size > 0
  if (take('create')) return create(s, take, leftover)
  if (take('delete')) return leftover() ? {fault: 'command-usage'} : {ok: {verb: 'delete', id: s.id}}
  if (take('get')) return leftover() ? {fault: 'usage'} : {ok: {verb: 'get', id: s.id}}
  if (take('list')) return leftover() ? {fault: 'usage'} : {ok: {verb: 'list'}}
  return {fault: 'usage'}
}

/** A create's validation by type (which options each type takes, which it needs) and its flags. */
function create(s: Settings, take: (id: string) => boolean, leftover: () => boolean): NhWalk {
  const refuse: NhWalk = {fault: 'command-usage'}
  let flags: number = NH_FLAG.VALID
  let family = AF_INET
  if (!take('type') || !take('vrf')) return refuse
  if (take('mc')) flags |= NH_FLAG.MCAST
  if (take('pol')) flags |= NH_FLAG.POLICY_ENABLED
  if (take('ind')) flags |= NH_FLAG.INDIRECT
  if (take('rpol')) flags |= NH_FLAG.RELAXED_POLICY
  if (take('l2')) family = AF_BRIDGE
  if (take('rlkup')) flags |= NH_FLAG.ROUTE_LOOKUP
  if (take('ml')) flags |= NH_FLAG.MAC_LEARN
  if (take('root')) flags |= NH_FLAG.ETREE_ROOT
  switch (s.type) {
    case NH_TYPE.RCV:
      if (!take('oif') || leftover()) return refuse
      break
    case NH_TYPE.L2_RCV:
    case NH_TYPE.RESOLVE:
    case NH_TYPE.DISCARD:
      if (leftover()) return refuse
      break
    case NH_TYPE.ENCAP:
      if (!take('oif')) return refuse
      // A bridge encap takes anything else silently.
      if (family === AF_INET) {
        if (!take('smac') || !take('dmac')) return refuse
        if (take('l3_vxlan')) flags |= NH_FLAG.L3_VXLAN
        if (leftover()) return refuse
      }
      break
    case NH_TYPE.TUNNEL:
      if (s.count > 1) flags |= NH_FLAG.TUNNEL_UNDERLAY_ECMP
      if (take('pbb')) {
        if (!take('cni') || s.members.length !== 1 || !take('lbl') || !take('dmac')) return refuse
        flags |= NH_FLAG.TUNNEL_PBB
      } else if (!take('oif') || !take('smac') || !take('dmac') || !take('sip') || !take('dip')) {
        return refuse
      }
      if (take('udp')) {
        // Both ports make a UDP tunnel, else MPLSoUDP (and a --dport alone is left over).
        flags |= take('sport') && take('dport') ? NH_FLAG.TUNNEL_UDP : NH_FLAG.TUNNEL_UDP_MPLS
      } else if (take('vxlan')) {
        flags |= NH_FLAG.TUNNEL_VXLAN
        if (!take('sport') || !take('dport')) return refuse
        if (take('l3_vxlan')) flags |= NH_FLAG.L3_VXLAN
      }
      if (!(flags & (NH_FLAG.TUNNEL_UDP_MPLS | NH_FLAG.TUNNEL_UDP | NH_FLAG.TUNNEL_VXLAN | NH_FLAG.TUNNEL_PBB))) flags |= NH_FLAG.TUNNEL_GRE
      if (leftover()) return refuse
      break
    case NH_TYPE.COMPOSITE:
      if (!take('cni')) return refuse
      if (take('cmc')) flags |= NH_FLAG.MCAST
      if (take('cfa')) flags |= NH_FLAG.COMPOSITE_FABRIC
      if (take('cen')) flags |= NH_FLAG.COMPOSITE_ENCAP
      // Labels belong to an EVPN or TOR composite only (one of them: the first takes --lbl).
      if (take('cevpn')) {
        flags |= NH_FLAG.COMPOSITE_EVPN
        if (!take('lbl')) return refuse
      }
      if (take('tor')) {
        flags |= NH_FLAG.COMPOSITE_TOR
        if (!take('lbl')) return refuse
      }
      if (take('ecmp')) flags |= NH_FLAG.COMPOSITE_ECMP
      if (leftover()) return refuse
      break
    case NH_TYPE.VRF_TRANSLATE:
      // The stock tool checks nothing else here: other options are ignored.
      if (take('uucf')) flags |= NH_FLAG.UNKNOWN_UC_FLOOD
      break
    default:
      return refuse
  }
  return {ok: {verb: 'create', fields: addFields(s, flags, family)}}
}

/** The ADD request's fields as the stock tool fills them for the type (every other field zero or empty). */
function addFields(s: Settings, flags: number, family: number): Partial<NhFields> {
  const common = {nhr_id: s.id, nhr_vrf: s.vrf, nhr_flags: flags >>> 0}
  const label = (i: number) => s.labels[i] ?? 0
  if (flags & NH_FLAG.TUNNEL_PBB) {
    return {
      ...common,
      nhr_type: NH_TYPE.TUNNEL,
      nhr_family: AF_BRIDGE,
      nhr_encap_oif_id: [0],
      nhr_nh_list: [s.members[0]],
      nhr_label_list: [label(0)],
      nhr_pbb_mac: Array.from(s.destinationMacs[0]),
    }
  }
  if (s.type === NH_TYPE.ENCAP || s.type === NH_TYPE.TUNNEL) {
    const underlay = (flags & NH_FLAG.TUNNEL_UNDERLAY_ECMP) !== 0
    // One rewrite per interface, each of the FIRST destination and source MACs (the stock tool never indexes them).
    const encap = new Uint8Array(ETHER_HEADER_LENGTH * s.count)
    for (let i = 0; i < s.count; i++) {
      encap.set(s.destinationMacs[0], i * ETHER_HEADER_LENGTH)
      encap.set(s.sourceMacs[0], i * ETHER_HEADER_LENGTH + 6)
      encap.set([ETH_P_IP >> 8, ETH_P_IP & 0xff], i * ETHER_HEADER_LENGTH + 12)
    }
    const fields: Partial<NhFields> = {
      ...common,
      nhr_type: s.type,
      nhr_encap_oif_id: underlay ? [...s.interfaces] : [s.interfaces[0]],
      ...(underlay ? {nhr_encap_valid: s.interfaces.map((i) => (i < 0 ? 0 : 1))} : {}),
      nhr_encap_len: s.count ? ETHER_HEADER_LENGTH : 0,
      nhr_encap: Array.from(encap),
      nhr_encap_family: ETH_P_ARP,
    }
    if (s.type === NH_TYPE.ENCAP) return {...fields, nhr_family: family}
    // A tunnel's family stays unset (0); its ports go in network order.
    const port = (p: number) => (swap16(p) << 16) >> 16
    return {
      ...fields,
      nhr_tun_sip: s.sourceIp,
      nhr_tun_dip: s.destinationIp,
      nhr_tun_sport: port(s.sourcePort),
      nhr_tun_dport: port(s.destinationPort),
      ...(flags & NH_FLAG.L3_VXLAN ? {nhr_rw_dst_mac: Array.from(s.l3VxlanMac)} : {}),
    }
  }
  if (s.type === NH_TYPE.COMPOSITE) {
    return {...common, nhr_type: NH_TYPE.COMPOSITE, nhr_family: family, nhr_nh_list: [...s.members], nhr_label_list: s.members.map((_, i) => label(i))}
  }
  return {...common, nhr_type: s.type, nhr_family: family, nhr_encap_oif_id: [s.interfaces[0]], nhr_encap_len: ETHER_HEADER_LENGTH}
}
