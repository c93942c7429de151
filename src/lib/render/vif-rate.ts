/**
 * `vif --rate`: per-second rates of an interface's counters and the stock tool's rate screens (TF utils/vif.c), byte
 * for byte: the list screen (one three-line row per interface, paged to the terminal) and the --get screen (the
 * usual block with every DPDK counter line shown).
 */
import type {Int64} from '../sandesh/types.js'
import type {MessageFields} from '../sandesh/schema.js'
import {vifTypeName} from './vif.js'

type Vif = MessageFields<'vr_interface_req'>
type CounterField = {[K in keyof Vif]: Vif[K] extends Int64 ? K : never}[keyof Vif]

/** The counters the stock tool turns into rates, in its order. */
const RATE_COUNTERS: readonly CounterField[] = [
  'vifr_dev_ibytes', 'vifr_dev_ipackets', 'vifr_dev_ierrors', 'vifr_dev_inombufs',
  'vifr_port_isyscalls', 'vifr_port_ipackets', 'vifr_port_ierrors', 'vifr_port_inombufs',
  'vifr_queue_ierrors', 'vifr_queue_ipackets',
  'vifr_ibytes', 'vifr_ipackets', 'vifr_ierrors',
  'vifr_obytes', 'vifr_opackets', 'vifr_oerrors',
  'vifr_queue_oerrors', 'vifr_queue_opackets',
  'vifr_port_osyscalls', 'vifr_port_opackets', 'vifr_port_oerrors',
  'vifr_dev_obytes', 'vifr_dev_opackets', 'vifr_dev_oerrors',
]
/** Error counters sometimes go down: a drop counts as no change. */
const CLAMPED: ReadonlySet<CounterField> = new Set([
  'vifr_dev_ierrors', 'vifr_port_ierrors', 'vifr_queue_ierrors', 'vifr_ierrors',
  'vifr_dev_oerrors', 'vifr_port_oerrors', 'vifr_queue_oerrors', 'vifr_oerrors',
])

const int64 = (value: bigint): Int64 => (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value)

/** (new − old) × 1000 / elapsed ms, in integers, as the stock tool computes each rate. */
function perSecond(current: Int64, previous: Int64, elapsedMs: number, clamp: boolean): Int64 {
  const now = BigInt(current)
  const before = BigInt(previous)
  const delta = clamp && now < before ? 0n : now - before
  return int64((delta * 1000n) / BigInt(Math.max(1, Math.trunc(elapsedMs))))
}

/** The interface with its counters replaced by their rates since `previous`. */
export function vifRates(current: Vif, previous: Vif, elapsedMs: number): Vif {
  const rates: Vif = {...current}
  const assign = rates as Record<CounterField, Int64>
  for (const field of RATE_COUNTERS) assign[field] = perSecond(current[field], previous[field], elapsedMs, CLAMPED.has(field))
  rates.vifr_queue_ierrors_to_lcore = current.vifr_queue_ierrors_to_lcore.map((v, i) => perSecond(v, previous.vifr_queue_ierrors_to_lcore[i] ?? v, elapsedMs, false))
  return rates
}

export const RATE_TITLE = 'Interface rate statistics\n-------------------------\n\n'
export const RATE_KEYS = "Key 'q' for quit, key 'k' for previous page, key 'j' for next page.\n"
export const RATE_TOO_SMALL = 'Size of terminal is too small.\n'
/** Header rows and the three lines each interface takes on the list screen; at most 32 interfaces a page. */
const HEADER_ROWS = 9
const ROWS_PER_INTERFACE = 3
const MAX_PER_PAGE = 32

/** How many interfaces fit a terminal of `rows` rows (0: too small). */
export function interfacesPerPage(rows: number): number {
  return Math.max(0, Math.min(MAX_PER_PAGE, Math.trunc((rows - HEADER_ROWS) / ROWS_PER_INTERFACE)))
}

export function rateListHeader(): string {
  const row1 = ['Interface name', 'VIF ID', 'RX', 'TX'].map((s) => s.padEnd(30)).join('')
  return `${row1}\n${' '.repeat(54)}${'Errors   Packets'.padEnd(30)}Errors   Packets\n\n`
}

const sum = (...values: Int64[]) => values.reduce<bigint>((total, v) => total + BigInt(v), 0n)
const pair = (errors: bigint, packets: Int64) => `${String(errors).padEnd(7)}  ${String(packets).padEnd(7)}`

/** One interface of the list screen (its counters already rates). */
export function rateListLine(v: Vif): string {
  const rxErrors = sum(v.vifr_dev_ierrors, v.vifr_port_ierrors, v.vifr_queue_ierrors, v.vifr_ierrors)
  const txErrors = sum(v.vifr_dev_oerrors, v.vifr_port_oerrors, v.vifr_queue_oerrors, v.vifr_oerrors)
  const name = `${vifTypeName(v.vifr_type)}: ${v.vifr_name}`.padEnd(30)
  return `${name}${`vif${v.vifr_rid}/${v.vifr_idx}`.padEnd(24)}${pair(rxErrors, v.vifr_ipackets).padEnd(30)}${pair(txErrors, v.vifr_opackets).padEnd(25)}\n\n\n`
}

/** The time line that ends each screen: local time as strftime's "%Y-%m-%d %H:%M:%S %z", and a space. */
export function rateTimestamp(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  const offset = -at.getTimezoneOffset()
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.trunc(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())} ${zone} \n`
}
