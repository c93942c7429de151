/** Drop counters (vr_drop_stats_req): global, per core, per interface. */
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {schemaFor} from '../../lib/sandesh/schema.js'
import {make} from './common.js'

type DropFields = MessageFields<'vr_drop_stats_req'>

/** Every drop counter of the current IDL (the i64 fields, vds_discard … vds_invalid_underlay_ecmp). */
export const DROP_COUNTERS = schemaFor('current')
  .messages.get('vr_drop_stats_req')!
  .fields.filter((f) => f.type === 'i64')
  .map((f) => f.name) as (keyof DropFields)[]

export type DropCounters = Record<string, number>

export function zeroDrops(): DropCounters {
  return Object.fromEntries(DROP_COUNTERS.map((k) => [k, 0]))
}

export function addDrops(into: DropCounters, more: DropCounters): void {
  for (const k of DROP_COUNTERS) into[k] += more[k] ?? 0
}

export function dropsTotal(drops: DropCounters): number {
  let total = 0
  for (const k of DROP_COUNTERS) total += drops[k] ?? 0
  return total
}

/** The counters as the dp returns them (a fresh object: op 0, router 0, core 0). */
export function dropStatsObject(drops: DropCounters, op = 0): SandeshObject<'vr_drop_stats_req'> {
  return make('vr_drop_stats_req', {...(drops as Partial<DropFields>), h_op: op})
}
