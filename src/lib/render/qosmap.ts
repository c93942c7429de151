/**
 * `qosmap` output, byte for byte as TF utils/qosmap.c prints it: the forwarding-class table, the per-map DSCP, EXP
 * and 802.1p tables, and the DCB priority report of --set-queue; and our JSON of the first two.
 *
 * The stock tool prints the byte lists of these messages (int8_t in the generated C) with %u, so a value above 127
 * prints as a 32-bit wrap-around (200 prints 4294967240); forwarding-class ids (int16_t) likewise.
 */
import {DCBX, DCB_CLASSES} from '../model/constants.js'
import type {MessageFields} from '../sandesh/schema.js'

export type FcMap = Pick<MessageFields<'vr_fc_map_req'>, 'fmr_rid' | 'fmr_id' | 'fmr_dscp' | 'fmr_mpls_qos' | 'fmr_dotonep' | 'fmr_queue_id'>
export type QosMap = Pick<
  MessageFields<'vr_qos_map_req'>,
  'qmr_rid' | 'qmr_id' | 'qmr_dscp' | 'qmr_dscp_fc_id' | 'qmr_mpls_qos' | 'qmr_mpls_qos_fc_id' | 'qmr_dotonep' | 'qmr_dotonep_fc_id'
>

/** printf("%<width>u") of a C int8_t; an element past the end of its list reads as 0. */
const byteU = (v: number | undefined, width: number) => String((((v ?? 0) << 24) >> 24) >>> 0).padStart(width)
/** printf("%<width>u") of a C int16_t. */
const shortU = (v: number, width: number) => String(((v << 16) >> 16) >>> 0).padStart(width)

/**
 * One vr_fc_map_req: its classes, after the table's title when `marker` is still -1 (the stock tool prints the title
 * until some object has set its dump marker, so once per dump and once for --get-fc).
 */
export function fcMapText(m: FcMap, marker: number): string {
  const title = marker === -1 ? `Forwarding Class Map ${m.fmr_rid}\n FC            DSCP  EXP  .1p    Queue\n` : ''
  const rows = m.fmr_id.map(
    (id, i) => `${shortU(id, 3)}        ${byteU(m.fmr_dscp[i], 8)}  ${byteU(m.fmr_mpls_qos[i], 3)}  ${byteU(m.fmr_dotonep[i], 3)} ${byteU(m.fmr_queue_id[i], 8)}\n`,
  )
  return title + rows.join('')
}

/** The stock tool's marker after printing `m`: its last class id, or unchanged when it has none. */
export function fcMapMarker(m: FcMap, marker: number): number {
  const last = m.fmr_id.at(-1)
  return last === undefined ? marker : (last << 16) >> 16
}

const QOS_TABLES = [
  ['    DSCP              FC', 'qmr_dscp', 'qmr_dscp_fc_id', 'dscp'],
  ['     EXP              FC', 'qmr_mpls_qos', 'qmr_mpls_qos_fc_id', 'mpls_qos'],
  [' DOTONEP              FC', 'qmr_dotonep', 'qmr_dotonep_fc_id', 'dotonep'],
] as const

/** One vr_qos_map_req: a table per marking the object carries, listing the code points mapped to a class other than 0. */
export function qosMapText(m: QosMap): string {
  let out = `QOS Map ${m.qmr_rid}/${m.qmr_id}\n`
  for (const [head, points, classes] of QOS_TABLES) {
    if (m[points].length === 0) continue
    out += `${head}\n`
    m[points].forEach((point, i) => {
      if (m[classes][i]) out += `${byteU(point, 8)}        ${byteU(m[classes][i], 8)}\n`
    })
    out += '\n'
  }
  return `${out}\n`
}

export interface FcJson {
  id: number
  dscp: number
  mpls_qos: number
  dotonep: number
  queue: number
}

/** The classes of one vr_fc_map_req, one JSON object each (values as the unsigned bytes they are). */
export function fcMapJson(m: FcMap): FcJson[] {
  return m.fmr_id.map((id, i) => ({id, dscp: m.fmr_dscp[i] ?? 0, mpls_qos: m.fmr_mpls_qos[i] ?? 0, dotonep: m.fmr_dotonep[i] ?? 0, queue: m.fmr_queue_id[i] ?? 0}))
}

export interface QosJson {
  id: number
  dscp: Record<string, number>
  mpls_qos: Record<string, number>
  dotonep: Record<string, number>
}

/** A QoS map: per marking, code point → forwarding class, for the code points the text lists. */
export function qosMapJson(m: QosMap): QosJson {
  const mapping = (points: readonly number[], classes: readonly number[]) =>
    Object.fromEntries([...points].flatMap((point, i) => (classes[i] ? [[String(point), classes[i]]] : [])))
  return {
    id: m.qmr_id,
    dscp: mapping(m.qmr_dscp, m.qmr_dscp_fc_id),
    mpls_qos: mapping(m.qmr_mpls_qos, m.qmr_mpls_qos_fc_id),
    dotonep: mapping(m.qmr_dotonep, m.qmr_dotonep_fc_id),
  }
}

/** What --set-queue asks of a port's DCB configuration (the stock tool's `struct priority`, plus its mode). */
export interface PriorityView {
  readonly ifname: string
  /** DCB_CAP_DCBX_* bits. */
  readonly dcbxMode: number
  readonly dcbEnabled: boolean
  readonly prioToTc: readonly number[]
  readonly tcToGroup: readonly number[]
  readonly groupBandwidth: readonly number[]
  /** Bit i: traffic class i is strict priority. */
  readonly strictness: number
}

/** The stock dump_priority report. */
export function priorityText(p: PriorityView): string {
  const label = (text: string) => text.padEnd(28)
  const row = (values: readonly number[]) => values.map((v) => String(v).padStart(5)).join('')
  const heads = (prefix: string) => Array.from({length: DCB_CLASSES}, (_, i) => `${prefix}${i}`.padStart(5)).join('')
  const dcbx = p.dcbxMode & DCBX.VER_IEEE ? 'IEEE' : p.dcbxMode & DCBX.VER_CEE ? 'CEE' : 'Unknown DCBX mode'
  const strict = Array.from({length: DCB_CLASSES}, (_, i) => (p.strictness >> i) & 1)
  return [
    'Priority Operation',
    `${label('Interface:')}${p.ifname.padStart(5)}`,
    `${label('DCBX:')}${dcbx.padStart(5)}`,
    `${label('DCB State:')}${(p.dcbEnabled ? 'Enabled' : 'Disabled').padStart(5)}`,
    '',
    `${label('')}${heads('P')}`,
    `${label('Traffic Class:')}${row(p.prioToTc)}`,
    '',
    `${label('')}${heads('TC')}`,
    `${label('Priority Group:')}${row(p.tcToGroup)}`,
    '',
    `${label('')}${heads('PG')}`,
    `${label('Priority Group Bandwidth:')}${row(p.groupBandwidth)}`,
    `${label('Strictness:')}${row(strict)}`,
    '',
  ].join('\n')
}

export const QOSMAP_USAGE = `qosmap --get-fc <fc-id>
       --set-fc <fc-id> <--dscp | --mpls_qos | --dotonep | --queue> <value>
       --get-qos <index>
       --set-qos <index> <--dscp | --mpls_qos | --dotonep> <value> --fc <fc-id>
       --set-queue <ifname> --dcbx <cee | ieee> --pg 0,1,2.. --bw 10,20,.. --strict 101..
       --get-queue <ifname>
       --dump-fc
       --dump-qos
       --delete-qos <index>
`
