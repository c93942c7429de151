import {existsSync} from 'node:fs'
import {networkInterfaces} from 'node:os'
import type {Parsed} from '../cli/legacy/getopt.js'
import {QOSMAP_OPTIONS, type QosmapRequest, type QosmapVerb, walkQosmapOptions} from '../cli/legacy/qosmap-options.js'
import {type LegacyExits, LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {NLMSG_HDRLEN} from '../lib/ksync/frame.js'
import {type FcMap, type QosMap, QOSMAP_USAGE, fcMapJson, fcMapMarker, fcMapText, qosMapJson, qosMapText} from '../lib/render/qosmap.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

/** exit(EINVAL): the stock tool's usage and argument errors. */
const EINVAL = 22

/** if_nametoindex: an interface of this host by that name (names are shorter than IFNAMSIZ, 16 bytes). */
function interfaceExists(name: string): boolean {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || Buffer.byteLength(name) >= 16) return false
  return process.platform === 'linux' ? existsSync(`/sys/class/net/${name}`) : name in networkInterfaces()
}

const codec = codecFor('current')

/**
 * The request the stock tool sends (TF utils/vr_util.c vr_send_fc_map_* and vr_send_qos_map_*): router id 0; a class
 * id narrowed to a uint8_t for GET and DELETE but read as the int16_t at the start of the tool's unsigned int for
 * ADD; a map id narrowed to the u16 field; an ADD without h_op (0 = ADD).
 */
function requestOf(r: QosmapRequest): SandeshObject {
  const {dscp, mpls_qos: mplsQos, dotonep, queue} = r.markings
  const byte = (v: number | undefined) => [(v ?? 0) & 0xff]
  const pair = (value: number | undefined) => (value === undefined ? [[], []] : [byte(value), byte(r.fc)])
  switch (r.verb) {
    case 'get-fc':
      return codec.defaults('vr_fc_map_req', {h_op: SandeshOp.GET, fmr_id: [r.index & 0xff]})
    case 'delete-fc':
      return codec.defaults('vr_fc_map_req', {h_op: SandeshOp.DEL, fmr_id: [r.index & 0xff]})
    case 'set-fc':
      return codec.defaults('vr_fc_map_req', {fmr_id: [(r.index << 16) >> 16], fmr_dscp: byte(dscp), fmr_mpls_qos: byte(mplsQos), fmr_dotonep: byte(dotonep), fmr_queue_id: byte(queue)})
    case 'dump-fc':
      return codec.defaults('vr_fc_map_req', {h_op: SandeshOp.DUMP})
    case 'get-qos':
      return codec.defaults('vr_qos_map_req', {h_op: SandeshOp.GET, qmr_id: r.index & 0xffff})
    case 'delete-qos':
      return codec.defaults('vr_qos_map_req', {h_op: SandeshOp.DEL, qmr_id: r.index & 0xffff})
    case 'set-qos': {
      const [qmr_dscp, qmr_dscp_fc_id] = pair(dscp)
      const [qmr_mpls_qos, qmr_mpls_qos_fc_id] = pair(mplsQos)
      const [qmr_dotonep, qmr_dotonep_fc_id] = pair(dotonep)
      return codec.defaults('vr_qos_map_req', {h_op: SandeshOp.ADD, qmr_id: r.index & 0xffff, qmr_dscp, qmr_dscp_fc_id, qmr_mpls_qos, qmr_mpls_qos_fc_id, qmr_dotonep, qmr_dotonep_fc_id})
    }
    case 'dump-qos':
      return codec.defaults('vr_qos_map_req', {h_op: SandeshOp.DUMP})
    default:
      throw new Error(`${r.verb} sends no ksync request`)
  }
}

export default class Qosmap extends LegacyTool {
  static override summary = 'Forwarding classes and QoS maps, as the stock `qosmap` tool (same options, same output)'

  // Paragraphs without hard breaks: oclif wraps them to the terminal.
  static override description = [
    'qosmap --dump-fc | --get-fc <fc> | --set-fc <fc> --dscp <d> --mpls_qos <e> --dotonep <p> --queue <q> | --delete-fc <fc>',
    'qosmap --dump-qos | --get-qos <map> | --set-qos <map> --dscp|--mpls_qos|--dotonep <v> --fc <fc> | --delete-qos <map>',
    '',
    [
      'A forwarding class gives a packet its DSCP, MPLS EXP, 802.1p priority and queue; a QoS map gives, per DSCP, EXP or 802.1p',
      'code point, the forwarding class of a packet. As with the stock tool, --set-qos sets one code point of a map, and the map',
      'tables list the code points mapped to a class other than 0.',
    ].join(' '),
    '',
    [
      'Byte-compatible with the stock tool: long options only, its validation, its usage text. --set-queue and --get-queue',
      "configure DCB through rtnetlink on a kernel vRouter's host: not done here (a one-line error, exit 4).",
      'Additions: --delete-fc <fc> (a delete the stock library has but the stock tool does not offer), --sock-dir DIR, --json,',
      '--table, --socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane',
      'refused, 4 no forwarding plane); --legacy-exit gives the stock ones (22 for usage, 1 for no connection, otherwise the',
      'size of the last reply after its netlink header modulo 256, as the stock tool returns it: 38 for a bare answer).',
    ].join(' '),
  ].join('\n')

  static override examples = [
    '<%= config.bin %> qosmap --dump-fc --sock-dir /tmp/vr',
    '<%= config.bin %> qosmap --set-fc 3 --dscp 26 --mpls_qos 3 --dotonep 3 --queue 3 --sock-dir /tmp/vr',
    '<%= config.bin %> qosmap --set-qos 1 --dscp 26 --fc 3 --sock-dir /tmp/vr',
    '<%= config.bin %> qosmap --get-qos 1 --sock-dir /tmp/vr --json',
    '<%= config.bin %> qosmap --delete-qos 1 --sock-dir /tmp/vr',
  ]

  protected readonly tool = 'qosmap'
  protected readonly usageText = QOSMAP_USAGE
  protected readonly options = QOSMAP_OPTIONS
  /** nlmsg_len of the last reply the forwarding plane sent, once it answered. */
  private replyLength = 0

  protected get legacyExits(): LegacyExits {
    // The stock tool returns what its last read of the socket returned: the bytes of the last reply after the
    // netlink header (utils/qosmap.c main, vr_recvmsg), which the shell sees modulo 256.
    const replied = this.replyLength === 0 ? 0 : (this.replyLength - NLMSG_HDRLEN) & 0xff
    return {ok: replied, help: EINVAL, usage: EINVAL, 'vrouter-error': replied, 'no-connection': 1}
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    const walk = walkQosmapOptions(parsed, {platform: () => this.platform(), interfaceExists})
    if ('fault' in walk) {
      if (walk.stderr) process.stderr.write(walk.stderr)
      if (walk.fault === 'help') return this.help()
      return this.usage(walk.printed + (walk.fault === 'usage' ? QOSMAP_USAGE : ''))
    }
    const {verb} = walk.ok
    if (verb === 'get-queue' || verb === 'set-queue') {
      if (!this.json) this.write(walk.printed)
      return this.noDcb(verb)
    }
    const request = requestOf(walk.ok)
    const reads = verb.startsWith('get') || verb.startsWith('dump')
    const client = await this.connect()
    try {
      const out = this.json || this.table ? this.objects() : undefined
      const emit = (row: object) => out?.push(row)
      // The stock tool's one marker: where a dump resumes, and whether the class table still needs its title.
      let marker = -1
      const show = (o: SandeshObject) => {
        if (o.name === 'vr_fc_map_req') {
          const m = o.fields as FcMap
          if (this.json || this.table) fcMapJson(m).forEach(emit)
          else this.write(fcMapText(m, marker))
          marker = fcMapMarker(m, marker)
        } else if (o.name === 'vr_qos_map_req') {
          const m = o.fields as QosMap
          if (this.json || this.table) emit(qosMapJson(m))
          else this.write(qosMapText(m))
          marker = m.qmr_id
        }
      }
      if (verb.startsWith('dump')) {
        for await (const o of client.dump(request)) show(o)
      } else {
        const [, ...objects] = await client.request(request)
        if (reads) objects.forEach(show)
      }
      if (reads) out?.end()
      return 'ok'
    } finally {
      this.replyLength = client.lastReplyLength
      client.close()
    }
  }

  /** The DCB queue options: said plainly instead of pretending. */
  private noDcb(verb: QosmapVerb): Outcome {
    const message = `--${verb} configures DCB through rtnetlink on a kernel vRouter's host, which this implementation does not do`
    if (this.json) this.writeJsonError('connection', message, {code: 'NO_SERVER'})
    else process.stderr.write(`qosmap: ${message}\n`)
    return 'no-connection'
  }
}
