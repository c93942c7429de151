/**
 * The stock `qosmap` command line (TF utils/qosmap.c), walked as its getopt loop and validate_options walk it.
 * Long options only. Each option stores 1 in its own flag, so giving one twice counts once and its last value wins;
 * options act in order, and a bad value, an unknown interface, --help or an option getopt rejects ends the run
 * where it stands. Then the counts decide: exactly one operation, the markings each operation wants, and for
 * --set-queue the complete DCB set (mode, groups, bandwidths, strictness, traffic classes).
 */
import type {Platform} from '../../lib/ksync/platform.js'
import {DCBX, DCB_CLASSES} from '../../lib/model/constants.js'
import {type PriorityView, priorityText} from '../../lib/render/qosmap.js'
import {type LongOption, type OptionTable, type Parsed, cLong} from './getopt.js'

const required = (name: string, extension = false): LongOption => ({name, arg: 'required', id: name, extension})
const flag = (name: string): LongOption => ({name, arg: 'none', id: name})

export const QOSMAP_OPTIONS: OptionTable = {
  long: [
    required('dcbx'),
    required('delete-qos'),
    flag('dump-fc'),
    flag('dump-qos'),
    required('dotonep'),
    required('dscp'),
    required('mpls_qos'),
    required('fc'),
    required('get-fc'),
    required('get-qos'),
    required('get-queue'),
    required('pg'),
    required('bw'),
    required('queue'),
    required('set-fc'),
    required('set-qos'),
    required('set-queue'),
    required('strict'),
    required('tc'),
    flag('help'),
    // Ours: the stock library can delete a class (vr_send_fc_map_delete) but the stock tool has no option for it;
    // and the vtest socket directory every other tool takes.
    required('delete-fc', true),
    required('sock-dir', true),
  ],
  short: '',
  shortIds: {},
}

export type QosmapVerb = 'get-fc' | 'set-fc' | 'dump-fc' | 'delete-fc' | 'get-qos' | 'set-qos' | 'dump-qos' | 'delete-qos' | 'get-queue' | 'set-queue'
export type Marking = 'dscp' | 'mpls_qos' | 'dotonep' | 'queue'

const MARKINGS: readonly Marking[] = ['dscp', 'mpls_qos', 'dotonep', 'queue']
/** The operations of which exactly one must be given (--set-queue counts with the DCB options instead). */
const OPERATIONS: readonly QosmapVerb[] = ['get-fc', 'set-fc', 'dump-fc', 'get-qos', 'set-qos', 'dump-qos', 'delete-qos', 'delete-fc', 'get-queue']
const DCB_OPTIONS = ['dcbx', 'set-queue', 'pg', 'bw', 'strict', 'tc']
const INDEXED = new Set(['delete-qos', 'get-qos', 'get-fc', 'set-fc', 'set-qos', 'delete-fc'])

/** What the command line asks for, once walked. */
export interface QosmapRequest {
  readonly verb: QosmapVerb
  /** The operation's id as the tool's unsigned int (each request then narrows it as the C does). */
  readonly index: number
  /** The markings given, each as the tool's uint8_t. */
  readonly markings: Readonly<Partial<Record<Marking, number>>>
  /** --fc, as a uint8_t. */
  readonly fc: number
  readonly ifname: string
  /** --set-queue: the DCB configuration asked for. */
  readonly priority: PriorityView
}

/**
 * `printed`: what the stock tool has printed on stdout by then (complaints, or the --set-queue report). A fault is
 * 'usage' (then the usage text), 'exit' (the tool exits with EINVAL, no usage text) or 'help'.
 */
export type QosmapWalk =
  | {readonly ok: QosmapRequest; readonly printed: string}
  | {readonly fault: 'usage' | 'exit' | 'help'; readonly printed: string; readonly stderr: string}

/** What the walk needs to know of the host. */
export interface QosmapHost {
  /** The platform the queue options are checked against. */
  readonly platform: () => Platform
  /** if_nametoindex finds it. */
  readonly interfaceExists: (name: string) => boolean
}

/** perror("parse_long_opts") after a strtoul that overflowed. */
const ERANGE_MESSAGE = 'parse_long_opts: Numerical result out of range\n'
/** -EINVAL in an unsigned int, kept in the tool's uint8_t: 0xea, which has the IEEE bit set. */
const BAD_DCBX_MODE = 0xea

/** get_dcbx_mode: "cee" (or any 4 letters starting so) or "ieee". */
function dcbxModeOf(text: string): number {
  const length = Buffer.byteLength(text)
  if (length < 3 || length > 4) return BAD_DCBX_MODE
  if (text.startsWith('cee')) return DCBX.VER_CEE
  return text === 'ieee' ? DCBX.VER_IEEE : BAD_DCBX_MODE
}

const SPACE = 0x20
const COMMA = 0x2c

function strlenAt(buf: number[], at: number): number {
  let n = 0
  while (buf[at + n] !== 0) n++
  return n
}

/**
 * vr_extract_token (TF utils/vr_util.c) on a NUL-terminated byte buffer, with its in-place edits: skips leading
 * spaces, cuts the token at the separator, trims trailing spaces, and puts a space back where the separator was
 * when trimming moved the end. Returns where the token starts, or undefined when there is none.
 */
function extractToken(buf: number[], at: number, say: (text: string) => void): number | undefined {
  let p = at
  while (buf[p] === SPACE) p++
  let length = strlenAt(buf, p)
  if (length === 0) return undefined
  if (buf[p] === COMMA) {
    say('Malformed request: separator used incorrectly \n')
    return undefined
  }
  let sep = -1
  for (let q = p; buf[q] !== 0; q++) {
    if (buf[q] === COMMA) {
      sep = q
      break
    }
  }
  if (sep >= 0) {
    buf[sep] = 0
    length = sep - p
  }
  length -= 1
  while (buf[p + length] === SPACE) {
    length -= 1
    if (length === 0) break
  }
  buf[p + length + 1] = 0
  if (sep >= 0 && sep - p !== strlenAt(buf, p)) buf[sep] = SPACE
  return p
}

/**
 * The stock list options (--pg, --bw, --tc): up to 8 comma-separated numbers written into `into` from its start,
 * read with the stock token walk and its offset arithmetic. False when the tool would end in its usage: a value
 * over `limit` (after `complaint`), or a missing token (the stock tool then crashes on strlen(NULL)).
 */
function extractList(text: string, into: number[], limit: bigint | undefined, complaint: string, say: (text: string) => void): boolean {
  const buf = [...Buffer.from(text), 0]
  const length = buf.length - 1
  let offset = 0
  for (let i = 0; ; ) {
    const tok = extractToken(buf, offset, say)
    if (tok === undefined) return false
    const token = Buffer.from(buf.slice(tok, tok + strlenAt(buf, tok))).toString('latin1')
    const n = cLong(token, 'strtoul')
    if (n.overflow || (limit !== undefined && n.value > limit)) {
      say(complaint)
      return false
    }
    into[i] = Number(n.value & 0xffn)
    offset += token.length + 1
    if (!(++i < DCB_CLASSES && offset < length)) return true
  }
}

/** Walks the options as the stock getopt loop, parse_long_opts and validate_options do. */
export function walkQosmapOptions(parsed: Parsed, host: QosmapHost): QosmapWalk {
  const given = new Set<string>()
  let printed = ''
  const say = (text: string) => {
    printed += text
  }
  const fault = (kind: 'usage' | 'exit' | 'help', stderr = ''): QosmapWalk => ({fault: kind, printed, stderr})
  let index = 0
  let fc = 0
  let dcbxMode = 0
  let ifname = ''
  let strictness = 0
  const markings: Partial<Record<Marking, number>> = {}
  const prioToTc: number[] = new Array<number>(DCB_CLASSES).fill(0)
  const tcToGroup: number[] = new Array<number>(DCB_CLASSES).fill(0)
  const groupBandwidth: number[] = new Array<number>(DCB_CLASSES).fill(0)

  for (const o of parsed.options) {
    if (o.id === '?') return fault('usage')
    if (o.id === 'help') return fault('help')
    given.add(o.id)
    const text = o.value ?? ''
    if (INDEXED.has(o.id) || o.id === 'fc' || (MARKINGS as readonly string[]).includes(o.id)) {
      const n = cLong(text, 'strtoul')
      if (n.overflow) return fault('usage', ERANGE_MESSAGE)
      if (INDEXED.has(o.id)) index = Number(n.value & 0xffffffffn)
      else if (o.id === 'fc') fc = Number(n.value & 0xffn)
      else markings[o.id as Marking] = Number(n.value & 0xffn)
      continue
    }
    switch (o.id) {
      case 'dcbx':
        dcbxMode = dcbxModeOf(text)
        if (dcbxMode === DCBX.VER_IEEE) tcToGroup.forEach((_, i) => (tcToGroup[i] = i))
        break
      case 'get-queue':
      case 'set-queue':
        if (!host.interfaceExists(text)) {
          say(`${text}: No such interface exist in the system\n`)
          return fault('exit')
        }
        ifname = text
        break
      case 'pg':
        if (!extractList(text, tcToGroup, undefined, 'Invalid value in the priority groups\n', say)) return fault('usage')
        break
      case 'bw':
        if (!extractList(text, groupBandwidth, 100n, 'Invalid value in the priority group bandwidth\n', say)) return fault('usage')
        break
      case 'tc':
        if (!extractList(text, prioToTc, 7n, 'Invalid value in the priority to tc mapping\n', say)) return fault('usage')
        break
      case 'strict': {
        // Past its end the text reads as its NUL, which is neither '0' nor '1': only exactly 8 digits pass.
        const bytes = Buffer.from(text)
        for (let i = 0; i < DCB_CLASSES; i++) {
          const c = bytes.length > DCB_CLASSES ? undefined : (bytes[i] ?? 0)
          if (c === 0x30) continue
          if (c !== 0x31) {
            say('Invalid value in strictness\n')
            return fault('usage')
          }
          strictness |= 1 << i
        }
        break
      }
    }
  }

  const count = (ids: readonly string[]) => ids.filter((id) => given.has(id)).length
  const set = count(MARKINGS)
  const operations = count(OPERATIONS)
  let defaultTc = 0
  if (given.has('set-queue') && !given.has('tc')) {
    if (dcbxMode === DCBX.VER_IEEE) prioToTc.forEach((_, i) => (prioToTc[i] = i))
    else if (dcbxMode === DCBX.VER_CEE) prioToTc.forEach((_, i) => (prioToTc[i] = tcToGroup[i]))
    else {
      say('Incorrect mode \n')
      return fault('usage')
    }
    defaultTc = 1
  }
  const dcbOptions = count(DCB_OPTIONS) + defaultTc
  // The stock check reads the agent config before the tool has parsed it, so it always sees a kernel platform.
  if ((dcbOptions || given.has('get-queue')) && host.platform() !== 'kernel') {
    say('Queue options are valid only for kernel based vRouter\n')
    return fault('exit')
  }
  if (operations) {
    if (operations !== 1 || dcbOptions) return fault('usage')
  } else if (dcbOptions) {
    if (dcbxMode & DCBX.VER_IEEE) {
      if (given.has('pg')) {
        say('--pg option is not accepted for IEEE mode\n')
        return fault('usage')
      }
      if (dcbOptions !== 5) return fault('usage')
    } else if (dcbOptions !== 6) {
      return fault('usage')
    }
  } else {
    return fault('usage')
  }

  const verb: QosmapVerb = given.has('set-queue') ? 'set-queue' : OPERATIONS.find((v) => given.has(v))!
  const complaint = (
    {
      'get-fc': given.has('fc') || set ? 'Invalid arguments for --get-fc\n' : '',
      'get-qos': given.has('fc') || set ? 'Invalid arguments to --get-qos\n' : '',
      'set-fc': given.has('fc') || set !== 4 ? 'Invalid options to --set-fc\n' : '',
      'set-qos': set !== 1 || !given.has('fc') ? 'Invalid options to --set-qos\n' : '',
      'dump-fc': set ? 'Invalid options\n' : '',
      'dump-qos': set ? 'Invalid options\n' : '',
      'delete-qos': set ? 'Invalid options\n' : '',
      'delete-fc': set ? 'Invalid options\n' : '',
      'get-queue': set ? 'Invalid options\n' : '',
      'set-queue': '',
    } satisfies Record<QosmapVerb, string>
  )[verb]
  if (complaint) {
    say(complaint)
    return fault('usage')
  }
  if (verb === 'set-queue') {
    let aggregate = 0
    let noted = false
    for (let i = 0; i < DCB_CLASSES; i++) {
      if (strictness & (1 << i) && groupBandwidth[i]) {
        if (!noted) say('NOTE: Bandwidth specification does not work with strict priority\n')
        noted = true
        groupBandwidth[i] = 0
      }
      aggregate += groupBandwidth[i]
      if (aggregate > 100) {
        say('Aggregate bandwidth is greater than 100\n')
        return fault('usage')
      }
    }
  }
  const priority: PriorityView = {ifname, dcbxMode, dcbEnabled: false, prioToTc, tcToGroup, groupBandwidth, strictness}
  if (verb === 'set-queue') say(priorityText(priority))
  return {ok: {verb, index, markings, fc, ifname, priority}, printed}
}
