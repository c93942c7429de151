import {once} from 'node:events'
import {setTimeout as sleep} from 'node:timers/promises'
import {type FlowCommand, walkFlowOptions} from '../cli/legacy/flow-options.js'
import type {Parsed} from '../cli/legacy/getopt.js'
import {LIVE_OPTIONS, liveSettings, runLive} from '../cli/live.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {STRERROR, VrouterError} from '../lib/errors.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {ipv4ToHostInteger, swap16, u64FromMemoryBytes} from '../lib/model/addresses.js'
import {AF_BRIDGE, AF_INET, AF_INET6, FLOW_ACTIONS, FLOW_DROP_REASONS, FLOW_DROP_REASON_LABELS, FLOW_EXT_FLAG_FORCE_EVICT, FLOW_FLAGS, NH_FLAG, NH_TYPE, VP_TYPE} from '../lib/model/constants.js'
import {FLOW_ACTION, FLOW_FLAG, type FlowEntry, flowCounters, flowDestination, flowSource} from '../lib/model/flow.js'
import {FLOW_COMPONENT_NH_COUNT, FLOW_USAGE, type FlowCounts, type FlowDetailContext, type FlowHop, type FlowMirrorInfo, type FlowRouteInfo, flowDetail, flowDetailJson, flowJson, flowListHeader, flowRateLine, flowSlotText, flowStatsScreen, flowText, writeFlowJson} from '../lib/render/flow.js'
import {JsonBytes, ndjsonLine} from '../lib/render/json.js'
import {FlowTableReader, brokenChainMessage, detectEntrySize, flowMatcher} from '../lib/shm/flow-table.js'
import {FLOW_LAYOUTS, type FlowEntrySize} from '../lib/shm/layout.js'
import {type AccessMode, TableError, openTable, tableFileSize, tablePath, addonNotice} from '../lib/shm/table.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {MessageFields, MessageName, SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import {interfaceName} from '../lib/transport/ifname.js'
import {LABEL_VALID} from '../lib/render/rt.js'

type TableData = MessageFields<'vr_flow_table_data'>

/** FLOW_OP_FLOW_TABLE_GET and FLOW_OP_FLOW_SET (vr_flow.h flow_op). */
const FLOW_TABLE_GET = 2
const FLOW_SET = 0

const friendly = (name: string) => name.toLowerCase().replaceAll('_', '-')

/** What our own options select of a listing (flow.ts extraFilter). */
interface ExtraFilter {
  readonly accept?: (e: FlowEntry) => boolean
  readonly top?: number
  /** --limit: how many flows the scan shows before it stops. */
  readonly limit?: number
}

export default class Flow extends LegacyTool {
  static override summary = 'The flow table, read from shared memory, as the stock `flow` tool (same options, same output)'

  static override description = `flow -l [--match "<ip>[:port][,<ip>[:port]] [& proto P] [& vrf V]"] [--show-evicted]
   | --get <index> | -f|-d|-i|-e <index> [--mirror M] | -s | -r | -F   [--sock-dir DIR]

Byte-compatible with the stock tool: the table is located through vr_flow_table_data (its file path, or the
kernel's /dev/flow) and read straight from memory (mmap, or pread when the native addon is not built): every
slot, its overflow chain, the stock 3-4 line entries and their quirks. -f/-d/-i/-e change a flow over ksync.
Additions (exact names): --json (a JSON array, one flow per line) and --ndjson, --table, filters the stock tool
lacks (--action forward|drop|nat|hold, --drop-reason NAME, --flag NAME, --top N by bytes, --limit N: stop after N
flows), --file PATH (read a
table file without a forwarding plane), --entry-size 256|128 (the Windows port's entries; detected otherwise),
--pread, --count/--interval for -s and -r, --socket PATH, --platform P. A table that is truncated, of a wrong
size or whose chains are broken is one line on stderr and exit status 1 (the stock corruption message is kept in
the text). Exit statuses: 0 done, 1 a bad table, 2 usage, 3 the forwarding plane refused, 4 no forwarding plane;
--legacy-exit gives the stock ones (234 usage and --help, 254 refused, 244 no connection, 255 an index past the
table, 1 a table that cannot be mapped). --get fetches and prints the source next hop, the routes, mirrors and
drop statistics as the stock tool does (format-compatible, not yet checked against a stock capture).`

  static override examples = [
    '<%= config.bin %> flow -l --sock-dir /tmp/vr',
    '<%= config.bin %> flow --match "10.1.1.5:40000 & proto tcp" --sock-dir /tmp/vr',
    '<%= config.bin %> flow -l --top 10 --table',
    '<%= config.bin %> flow -l --action drop --json',
    '<%= config.bin %> flow -l --file /var/run/vrouter/flow.shmem',
  ]

  protected readonly tool = 'flow'
  protected readonly usageText = FLOW_USAGE
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'bad-value': 255, 'bad-input': 1, 'vrouter-error': 254, 'no-connection': 244}
  protected readonly options = {
    long: [
      {name: 'dvrf', arg: 'required', id: 'dvrf'},
      {name: 'get', arg: 'required', id: 'g'},
      {name: 'mirror', arg: 'required', id: 'mirror'},
      {name: 'show-evicted', arg: 'none', id: 'show-evicted'},
      {name: 'match', arg: 'required', id: 'match'},
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'force-evict', arg: 'required', id: 'e'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      {name: 'ndjson', arg: 'none', id: 'ndjson', extension: true},
      {name: 'file', arg: 'required', id: 'file', extension: true},
      {name: 'entry-size', arg: 'required', id: 'entry-size', extension: true},
      {name: 'pread', arg: 'none', id: 'pread', extension: true},
      {name: 'action', arg: 'required', id: 'action', extension: true},
      {name: 'drop-reason', arg: 'required', id: 'drop-reason', extension: true},
      {name: 'flag', arg: 'required', id: 'flag', extension: true},
      {name: 'top', arg: 'required', id: 'top', extension: true},
      {name: 'limit', arg: 'required', id: 'limit', extension: true},
      ...LIVE_OPTIONS,
    ] as const,
    short: 'd:f:g:i:e:p:u:b:lrsF',
    shortIds: {u: 'sock-dir'},
  }

  private out = ''
  /** The JSON of a listing, gathered as bytes (writeFlowJson) and written in chunks as `out` is. */
  private readonly jsonOut = new JsonBytes()

  protected async execute(parsed: Parsed): Promise<Outcome> {
    const walk = walkFlowOptions(parsed)
    this.write(walk.printed)
    if ('fault' in walk.result) {
      const f = walk.result.fault
      if (f === 'help') return this.help()
      if (f === 'perf') return 'bad-value'
      return f === 'match' ? 'usage' : this.usage()
    }
    const command = walk.result.ok
    const extra = this.extraFilter()
    if (typeof extra === 'string') {
      process.stderr.write(`flow: ${extra}\n`)
      return 'usage'
    }
    const file = this.value('file')
    // With --file and nothing to change, no forwarding plane is needed.
    const offline = file !== undefined && command.operation !== 'rate' && !(command.operation === 'entry' && command.verb !== 'g') && command.operation !== 'flush'
    const client = offline ? undefined : await this.connect()
    try {
      let data: TableData
      try {
        data = client ? await this.tableData(client) : this.fileData(file!)
      } catch (error) {
        if (error instanceof VrouterError) return this.refused(error)
        throw error
      }
      let reader: FlowTableReader
      try {
        const table = openTable(file ?? tablePath('flow', data.ftable_file_path, data.ftable_dev), data.ftable_size, this.access())
        if (!table.mapped && this.access() === 'auto') this.notice(addonNotice())
        reader = new FlowTableReader(table, this.entrySize() ?? detectEntrySize(table))
      } catch (error) {
        if (error instanceof TableError) return this.badTable(error, true)
        throw error
      }
      try {
        switch (command.operation) {
          case 'list':
            return await this.list(reader, data, command, extra)
          case 'stats':
            return await this.stats(reader, data)
          case 'rate':
            return await this.rate(client!)
          case 'flush':
            return await this.flush(reader, client!)
          case 'perf':
            return await this.perf(client!, command.perf, command.bunch)
          default:
            return await this.entry(reader, command, client)
        }
      } catch (error) {
        if (error instanceof TableError) return this.badTable(error, false)
        if (error instanceof VrouterError) return this.refused(error)
        throw error
      } finally {
        reader.table.close()
      }
    } finally {
      client?.close()
    }
  }

  private async tableData(client: KsyncClient): Promise<TableData> {
    const request = codecFor('current').defaults('vr_flow_table_data')
    request.fields.ftable_op = FLOW_TABLE_GET
    return (await client.get(request)).fields
  }

  /** --file without a forwarding plane: the file's size, no counters. */
  private fileData(path: string): TableData {
    const data = codecFor('current').defaults('vr_flow_table_data').fields
    data.ftable_size = tableFileSize(path)
    data.ftable_file_path = path
    return data
  }

  private access(): AccessMode {
    return this.has('pread') ? 'pread' : 'auto'
  }

  private entrySize(): FlowEntrySize | undefined {
    const size = Number(this.value('entry-size'))
    return size === 128 || size === 256 ? size : undefined
  }

  /** An error reply to a flow request: the stock tool's own wording (not the vRouter(Response) form). */
  private refused(error: VrouterError): Outcome {
    const text = `response_process: ${error.errnoName ? STRERROR[error.errnoName] : `Unknown error ${error.errno}`}`
    if (this.json) this.writeJsonError('vrouter', text, {errno: error.errno, errno_name: error.errnoName ?? null})
    else this.write(`${text}\n`)
    return 'vrouter-error'
  }

  /** A table that cannot be read or makes no sense: the stock "<path>: <strerror>" when mapping fails, else a line on stderr. */
  private badTable(error: TableError, mapping: boolean): Outcome {
    this.flushOut()
    if (this.json) this.writeJsonError('table', error.message, {table_error: error.kind})
    else if (mapping && error.kind === 'open') this.write(`${error.message}\n`)
    else process.stderr.write(`flow: ${error.message}\n`)
    return 'bad-input'
  }

  /** Our filters beyond the stock --match: action, drop reason, flag, --top N, --limit N. */
  private extraFilter(): ExtraFilter | string {
    const checks: ((e: FlowEntry) => boolean)[] = []
    const action = this.value('action')
    if (action !== undefined) {
      const wanted = action.split(',').map((a) => FLOW_ACTIONS.find(([, n]) => friendly(n) === a.trim().toLowerCase())?.[0])
      if (wanted.some((w) => w === undefined)) return `--action wants forward, drop, nat or hold (or a comma-separated list), not '${action}'`
      checks.push((e) => wanted.includes(e.fe_action))
    }
    const reason = this.value('drop-reason')
    if (reason !== undefined) {
      const lower = reason.toLowerCase()
      const code = FLOW_DROP_REASONS.find(([, n]) => friendly(n) === lower || n.toLowerCase() === lower)?.[0] ?? FLOW_DROP_REASON_LABELS.findIndex((l) => l.toLowerCase() === lower)
      if (code < 0) return `--drop-reason wants a drop reason (policy, sg, flow-limit, … or the labels flow -l prints), not '${reason}'`
      checks.push((e) => e.fe_action === FLOW_ACTION.DROP && e.fe_drop_reason === code)
    }
    const flag = this.value('flag')
    if (flag !== undefined) {
      const bit = FLOW_FLAGS.find(([, n]) => friendly(n) === flag.toLowerCase())?.[0]
      if (bit === undefined) return `--flag wants a flow flag (${FLOW_FLAGS.map(([, n]) => friendly(n)).join(', ')}), not '${flag}'`
      checks.push((e) => (e.fe_flags & bit) !== 0)
    }
    const counts: {top?: number; limit?: number} = {}
    for (const name of ['top', 'limit'] as const) {
      const text = this.value(name)
      if (text === undefined) continue
      if (!/^[1-9]\d*$/.test(text)) return `--${name} wants a positive whole number, not '${text}'`
      counts[name] = Number(text)
    }
    if (counts.top !== undefined && counts.limit !== undefined) return '--top and --limit do not go together (--top N shows N flows already)'
    return {...(checks.length > 0 ? {accept: (e: FlowEntry) => checks.every((c) => c(e))} : {}), ...counts}
  }

  /**
   * Text is gathered and written in large chunks, waiting for the pipe to drain, so memory stays flat. Only a full
   * chunk returns a promise: most calls cost no turn of the event loop.
   */
  private emit(text: string): Promise<void> | undefined {
    this.out += text
    if (this.out.length <= 1 << 16) return undefined
    const chunk = this.out
    this.out = ''
    return send(chunk)
  }

  /** `emit` for the JSON bytes. */
  private emitJson(): Promise<void> | undefined {
    return this.jsonOut.length <= 1 << 16 ? undefined : send(this.jsonOut.take())
  }

  private flushOut(): void {
    this.write(this.out)
    this.out = ''
    if (this.jsonOut.length > 0) process.stdout.write(this.jsonOut.take())
  }

  private async list(reader: FlowTableReader, data: TableData, command: FlowCommand, extra: ExtraFilter): Promise<Outcome> {
    const ndjson = this.has('ndjson') || this.ndjson
    const structured = this.json || ndjson || this.table
    const accept = command.match ? flowMatcher(command.match, FLOW_LAYOUTS[reader.entrySize]) : undefined
    if (!structured) await this.emit(flowListHeader(reader.table.size, reader.entries, data, command.match))
    const top: {index: number; flow: FlowEntry; bytes: number}[] = []
    const rows: Record<string, unknown>[] = []
    let count = 0
    /** Shows one flow; a promise only when the output must drain first. */
    const show = (index: number, flow: FlowEntry): Promise<void> | undefined => {
      const first = count++ === 0
      if (this.table) {
        rows.push(flowJson(index, flow))
        return undefined
      }
      if (ndjson) {
        writeFlowJson(index, flow, this.jsonOut)
        this.jsonOut.text('\n')
        return this.emitJson()
      }
      if (this.json) {
        this.jsonOut.text(first ? '[\n' : ',\n')
        writeFlowJson(index, flow, this.jsonOut)
        return this.emitJson()
      }
      return this.emit(`${flowText(index, flow)}\n\n`)
    }
    let broken: TableError | undefined
    let left = extra.limit
    for (const slot of reader.scan({showEvicted: command.showEvicted, ...(accept ? {accept} : {})})) {
      if (slot.broken) broken = new TableError('broken-chain', reader.table.path, brokenChainMessage(slot.broken, reader.entries))
      // Our filters select flows: a slot that only heads a chain is not shown under them.
      if (extra.accept && !(slot.flow && extra.accept(slot.flow))) continue
      if (extra.top !== undefined) {
        if (slot.flow) top.push({index: slot.index, flow: slot.flow, bytes: flowCounters(slot.flow).bytes})
      } else if (!structured) {
        const full = this.emit(flowSlotText(slot))
        if (full) await full
      } else if (slot.flow) {
        const full = show(slot.index, slot.flow)
        if (full) await full
      }
      // --limit: the scan stops at the Nth flow shown.
      if (slot.flow && left !== undefined && --left === 0) break
    }
    if (extra.top !== undefined) {
      top.sort((a, b) => b.bytes - a.bytes || a.index - b.index)
      for (const t of top.slice(0, extra.top)) await show(t.index, t.flow)
    }
    if (this.json && !ndjson && !this.table) this.jsonOut.text(count === 0 ? '[]\n' : '\n]\n')
    if (this.table && !this.json && !ndjson) {
      this.flushOut()
      const out = this.objects()
      for (const row of rows) out.push(tableRow(row))
      out.end()
    }
    if (broken) {
      // The stock tool exits 0 after its corruption message.
      if (this.legacyExit) {
        this.flushOut()
        process.stderr.write(`flow: ${broken.message}\n`)
        return 'ok'
      }
      return this.badTable(broken, false)
    }
    this.flushOut()
    return 'ok'
  }

  /** --get, -f, -d, -i, -e: one flow, checked as the stock tool checks it. */
  private async entry(reader: FlowTableReader, command: FlowCommand, client: KsyncClient | undefined): Promise<Outcome> {
    if (command.index >= BigInt(reader.entries)) {
      this.write(`Flow index ${command.index} is greater than available indices (${reader.entries - 1})\n`)
      return 'bad-value'
    }
    const index = Number(command.index)
    const e = reader.entry(index)
    if (command.verb === 'g') {
      if (!(e.fe_flags & FLOW_FLAG.ACTIVE)) this.write(`Flow index ${index} is not active\n`)
      else if (!command.showEvicted && e.fe_flags & FLOW_FLAG.EVICTED) this.write(`Flow at index ${index} is EVICTED. Use --show-evicted\n`)
      else {
        const reverse = e.fe_flags & FLOW_FLAG.RFLOW_VALID && e.fe_rflow >= 0 && e.fe_rflow < reader.entries ? reader.entry(e.fe_rflow) : undefined
        // Without a forwarding plane (--file alone) there is nothing to fetch: the flow's own fields only.
        const context = client ? await detailContext(client, e, reverse) : undefined
        this.write(this.json ? `${JSON.stringify(flowDetailJson(index, e, context), null, 2)}\n` : flowDetail(index, e, reverse, context))
      }
      return 'ok'
    }
    if (e.fe_type !== VP_TYPE.IP && e.fe_type !== VP_TYPE.IP6) return 'ok'
    if (command.verb === 'i' && e.fe_flags & FLOW_FLAG.EVICTED) {
      this.write(`Flow ${index} is evicted!\n`)
      return 'ok'
    }
    await client!.request(setRequest(index, e, command.verb!, command.mirror))
    return 'ok'
  }

  /** -F: an invalidate request for every flow that is not evicted, one after the other. */
  private async flush(reader: FlowTableReader, client: KsyncClient): Promise<Outcome> {
    this.write('Scanning flow table\n')
    let started = Date.now()
    const requests = []
    for (let i = 0; i < reader.entries; i++) {
      const e = reader.entry(i)
      if ((e.fe_type === VP_TYPE.IP || e.fe_type === VP_TYPE.IP6) && !(e.fe_flags & FLOW_FLAG.EVICTED)) requests.push(setRequest(i, e, 'i', -1))
    }
    this.write(`Found ${requests.length} entries in ${Date.now() - started} msec\nDeleting ${requests.length} entries in flow-table\n`)
    started = Date.now()
    for (const r of requests) await client.request(r)
    this.write(`Deleted ${requests.length} entries in ${Date.now() - started} msec\n`)
    return 'ok'
  }

  /**
   * -p N: the stock tool's flow-setup benchmark (utils/flow.c run_perf): N HOLD flows 1.1.1.1 → 2.2.2.2 of protocol
   * 255 (the ports count through the flows), then for each its reverse flow and the flow itself set to FORWARD with
   * the index and generation the first reply gave; each phase timed. Requests go `bunch` at a time.
   */
  private async perf(client: KsyncClient, count: number, bunch: number): Promise<Outcome> {
    const source = ipv4ToHostInteger(Uint8Array.of(1, 1, 1, 1))
    const destination = ipv4ToHostInteger(Uint8Array.of(2, 2, 2, 2))
    const request = (fields: Partial<MessageFields<'vr_flow_req'>>) => {
      const r = codecFor('current').defaults('vr_flow_req')
      Object.assign(r.fields, {fr_op: FLOW_SET, fr_family: AF_INET, fr_flags: FLOW_FLAG.ACTIVE, fr_flow_proto: 0xff, fr_flow_nh_id: 1, fr_gen_id: 0, fr_index: -1}, fields)
      return r
    }
    const ports = (i: number) => ({sport: swap16(1000 + Math.trunc(i / 65535)), dport: swap16(i % 65535)})
    /** Requests `make(0 … total-1)`, `bunch` in flight at a time; `onReply` sees each reply's objects. */
    const exchange = async (total: number, make: (i: number) => SandeshObject<'vr_flow_req'>, onReply?: (i: number, reply: SandeshObject[]) => void) => {
      for (let first = 0; first < total; first += bunch) {
        const batch: Promise<void>[] = []
        for (let i = first; i < Math.min(total, first + bunch); i++) batch.push(client.request(make(i)).then((reply) => onReply?.(i, reply)))
        await Promise.all(batch)
      }
    }
    // What each HOLD flow's reply says (utils/flow.c keeps the same per flow).
    const indexes = new Int32Array(count)
    const generations = new Uint8Array(count)
    let started = Date.now()
    await exchange(
      count,
      (i) => request({fr_action: FLOW_ACTION.HOLD, fr_flow_sip_l: source, fr_flow_dip_l: destination, fr_flow_sport: ports(i).sport, fr_flow_dport: ports(i).dport}),
      (i, reply) => {
        const created = (reply[1] as SandeshObject<'vr_flow_response'> | undefined)?.fields
        indexes[i] = created?.fresp_index ?? 0
        generations[i] = created?.fresp_gen_id ?? 0
      },
    )
    this.write(`Created ${count} HOLD entries in ${Date.now() - started} msec\n`)
    started = Date.now()
    await exchange(2 * count, (j) => {
      const i = j >> 1
      const {sport, dport} = ports(i)
      // The reverse flow, new; then the flow itself, by the index and generation its HOLD reply gave.
      return j % 2 === 0
        ? request({fr_action: FLOW_ACTION.FORWARD, fr_flow_sip_l: destination, fr_flow_dip_l: source, fr_flow_sport: dport, fr_flow_dport: sport})
        : request({fr_action: FLOW_ACTION.FORWARD, fr_flow_sip_l: source, fr_flow_dip_l: destination, fr_flow_sport: sport, fr_flow_dport: dport, fr_index: indexes[i], fr_gen_id: generations[i]})
    })
    this.write(`Created ${count} HOLD and ${count} FWD entries in ${Date.now() - started} msec\n`)
    return 'ok'
  }

  /** -s: the stock statistics screen from a full scan per interval (a timed sample per interval without a terminal). */
  private async stats(reader: FlowTableReader, data: TableData): Promise<Outcome> {
    const live = liveSettings(this.value('count'), this.value('interval'), 0.5)
    if (typeof live === 'string') {
      process.stderr.write(`flow: ${live}\n`)
      return 'usage'
    }
    let before: FlowCounts = {total: 0, active: 0, forward: 0, drop: 0, nat: 0}
    let holdBefore = 0
    let setup = 0
    let setupMs = 0
    let teardown = 0
    let teardownMs = 0
    const sample = async (elapsed: number) => {
      const now = countFlows(reader)
      const hold = data.ftable_hold_entries
      const ms = Math.max(1, elapsed)
      const first = elapsed === 0
      const current = first ? 0 : Math.trunc(((now.active - before.active) * 1000) / ms)
      const total = first ? 0 : Math.trunc(((now.total - before.total) * 1000) / ms)
      if (current < -1000) {
        teardown = Math.trunc((teardown * teardownMs - (now.active - before.active) * 1000) / (teardownMs + ms))
        teardownMs += ms
      }
      if (current > 1000) {
        setup = Math.trunc((setup * setupMs + (now.active - before.active) * 1000) / (setupMs + ms))
        setupMs += ms
      }
      const time = new Date()
      const text = this.json
        ? ndjsonLine({time: time.toISOString(), ...now, hold, rate: current, setup_rate: setup, teardown_rate: teardown, total_rate: total})
        : flowStatsScreen(localTime(time, true), now, before, hold, holdBefore, {current, setup, teardown, total})
      before = now
      holdBefore = hold
      return text
    }
    await runLive({sample}, {...live, output: process.stdout, input: process.stdin})
    return 'ok'
  }

  /** -r: the table counters again every interval; a line when something changed. */
  private async rate(client: KsyncClient): Promise<Outcome> {
    const live = liveSettings(this.value('count'), this.value('interval'), 0.5)
    if (typeof live === 'string') {
      process.stderr.write(`flow: ${live}\n`)
      return 'usage'
    }
    let old = {processed: 0, added: 0, deleted: 0}
    let last = Date.now()
    let stop = false
    const onSignal = () => (stop = true)
    process.once('SIGINT', onSignal)
    try {
      for (let n = 0; !stop && (live.count === undefined || n < live.count); n++) {
        await sleep(live.intervalMs)
        const t = await this.tableData(client)
        const now = Date.now()
        const ms = Math.max(1, now - last)
        const counts = {processed: Number(t.ftable_processed) - old.processed, added: Number(t.ftable_added) - old.added, deleted: Number(t.ftable_deleted) - old.deleted, hold: t.ftable_hold_entries}
        const per = (v: number) => Math.trunc((v * 1000) / ms)
        if (per(counts.hold) || per(counts.processed) || per(counts.added) || per(counts.deleted)) {
          const rate = per(counts.processed) + per(counts.added) + per(counts.deleted)
          const time = new Date(now)
          this.write(this.json ? ndjsonLine({time: time.toISOString(), entries: t.ftable_used_entries, rate, ...counts, burst_free_tokens: t.ftable_burst_free_tokens, hold_entries: t.ftable_hold_entries}) : flowRateLine(`${localTime(time, false)}.${String(time.getMilliseconds()).padStart(3, '0')}`, t, counts, rate))
        }
        last = now
        old = {processed: Number(t.ftable_processed), added: Number(t.ftable_added), deleted: Number(t.ftable_deleted)}
      }
    } finally {
      process.removeListener('SIGINT', onSignal)
    }
    return 'ok'
  }
}

/** Writes a chunk to stdout: a promise when the pipe must drain first. */
function send(chunk: string | Uint8Array): Promise<void> | undefined {
  return process.stdout.write(chunk) ? undefined : once(process.stdout, 'drain').then(() => undefined)
}

/** The columns of --table (the JSON form has more). */
function tableRow(j: Record<string, unknown>): Record<string, unknown> {
  const {index, reverse_index, source, source_port, destination, destination_port, protocol_name, vrf, action, drop_reason, packets, bytes} = j
  return {index, reverse: reverse_index, source: `${source}:${source_port}`, destination: `${destination}:${destination_port}`, proto: protocol_name, vrf, action, drop_reason, packets, bytes}
}

/** The counts of `flow -s` (utils/flow.c flow_stats): active entries that are not evicted, and their actions. */
function countFlows(reader: FlowTableReader): FlowCounts {
  const counts = {total: 0, active: 0, forward: 0, drop: 0, nat: 0}
  for (const slot of reader.scan()) {
    const e = slot.flow
    if (!e) continue
    counts.total++
    if (e.fe_action !== FLOW_ACTION.HOLD) counts.active++
    if (e.fe_action === FLOW_ACTION.DROP) counts.drop++
    else if (e.fe_action === FLOW_ACTION.FORWARD) counts.forward++
    else if (e.fe_action === FLOW_ACTION.NAT) counts.nat++
  }
  return counts
}

/** strftime "%Y-%m-%d %H:%M:%S" (and " %z") in local time. */
function localTime(t: Date, zone: boolean): string {
  const p = (n: number) => String(n).padStart(2, '0')
  const offset = -t.getTimezoneOffset()
  const z = `${offset < 0 ? '-' : '+'}${p(Math.trunc(Math.abs(offset) / 60))}${p(Math.abs(offset) % 60)}`
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}${zone ? ` ${z}` : ''}`
}

/** The FLOW_SET request of -f/-d/-i/-e (utils/flow.c fill_flow_req): the entry's key, gen id, and the change. */
function setRequest(index: number, e: FlowEntry, verb: 'f' | 'd' | 'i' | 'e' | 'g', mirror: number) {
  const request = codecFor('current').defaults('vr_flow_req')
  const f = request.fields
  const v6 = e.fe_type === VP_TYPE.IP6
  const half = (bytes: Uint8Array) => u64FromMemoryBytes(Uint8Array.from({length: 8}, (_, i) => bytes[i] ?? 0))
  Object.assign(f, {
    fr_op: FLOW_SET,
    fr_index: index,
    fr_family: v6 ? AF_INET6 : AF_INET,
    fr_flags: verb === 'i' ? 0 : FLOW_FLAG.ACTIVE,
    fr_flow_sip_u: v6 ? half(e.key_ip.subarray(0, 8)) : 0,
    fr_flow_sip_l: v6 ? half(e.key_ip.subarray(8, 16)) : half(e.key_ip.subarray(0, 4)),
    fr_flow_dip_u: v6 ? half(e.key_ip.subarray(16, 24)) : 0,
    fr_flow_dip_l: v6 ? half(e.key_ip.subarray(24, 32)) : half(e.key_ip.subarray(4, 8)),
    fr_flow_proto: e.key_proto,
    // The ports travel as stored (network order in a host u16).
    fr_flow_sport: ((e.key_sport & 0xff) << 8) | (e.key_sport >>> 8),
    fr_flow_dport: ((e.key_dport & 0xff) << 8) | (e.key_dport >>> 8),
    fr_flow_nh_id: e.key_nh_id,
    fr_gen_id: e.fe_gen_id,
    fr_action: verb === 'f' ? FLOW_ACTION.FORWARD : FLOW_ACTION.DROP,
    fr_extflags: verb === 'e' ? FLOW_EXT_FLAG_FORCE_EVICT : 0,
  })
  if (mirror >= 0) {
    f.fr_mir_id = mirror & 0xffff
    f.fr_flags |= FLOW_FLAG.MIRROR
  }
  return request
}

type Nh = MessageFields<'vr_nexthop_req'>

/** vr_nexthop_req_has_vif (utils/vr_util.c): the next hops whose interface a route's next hop is shown with. */
const WITH_INTERFACE: readonly number[] = [NH_TYPE.ENCAP, NH_TYPE.TUNNEL, NH_TYPE.RCV, NH_TYPE.L2_RCV]

/**
 * What `flow --get` fetches before printing, in the stock order (utils/flow.c flow_get_entry): the source next hop
 * and its interface or ECMP members, the mirrors' next hops, the source and destination routes with their next hops,
 * interfaces and bridge routes, the drop statistics; then the ECMP member each printed ECMP composite shows (the
 * stock tool fetches it while printing). Every request is built as utils/vr_util.c builds it. A refused GET ends the
 * run with the stock `response_process: <strerror>` (the tool's reply callback exits), except a mirror's: the stock
 * tool never gets past a mirror (it reads a mirror reply it registered no callback for), so a missing mirror (the
 * unset secondary, 255, says ENODEV) is left out instead.
 */
async function detailContext(client: KsyncClient, e: FlowEntry, reverse: FlowEntry | undefined): Promise<FlowDetailContext> {
  const get = async <N extends MessageName>(name: N, fields: Partial<MessageFields<N>>): Promise<MessageFields<N>> => {
    const request = codecFor('current').defaults(name)
    Object.assign(request.fields, {h_op: SandeshOp.GET}, fields)
    return (await client.get(request)).fields as MessageFields<N>
  }
  const nexthop = (id: number) => get('vr_nexthop_req', {nhr_id: id})
  /** An interface with its host name: if_indextoname, whose failure leaves the (zeroed) name buffer empty. */
  const vif = async (index: number) => {
    const fields = await get('vr_interface_req', {vifr_idx: index, vifr_os_idx: -1})
    return {fields, name: (fields.vifr_os_idx > 0 && interfaceName(fields.vifr_os_idx)) || ''}
  }
  /** A route's next hop, with the interface (first oif) of those that have one. */
  const hop = async (nh: Nh): Promise<FlowHop> => {
    const oif = nh.nhr_encap_oif_id[0]
    return WITH_INTERFACE.includes(nh.nhr_type) && oif !== undefined ? {nexthop: nh, vif: await vif(oif)} : {nexthop: nh}
  }

  // The source next hop (flow_get_source).
  let ecmpIndex = -1
  let expectedSource: FlowHop | undefined
  const components: Nh[] = []
  if (e.fe_src_nh_index >= 0) {
    const nh = await nexthop(e.fe_src_nh_index)
    const oif = nh.nhr_encap_oif_id[0]
    if (nh.nhr_type === NH_TYPE.TUNNEL && oif !== undefined) {
      const underlay = e.fe_underlay_ecmp_index ?? -1
      expectedSource = {nexthop: nh, vif: await vif(underlay >= 0 ? underlay : oif)}
    } else if ((nh.nhr_type === NH_TYPE.ENCAP || nh.nhr_type === NH_TYPE.RCV) && oif !== undefined) {
      expectedSource = {nexthop: nh, vif: await vif(oif)}
    } else {
      expectedSource = {nexthop: nh}
      if (nh.nhr_type === NH_TYPE.COMPOSITE && nh.nhr_flags & NH_FLAG.COMPOSITE_ECMP) {
        if (reverse && reverse.fe_flags & FLOW_FLAG.ACTIVE) ecmpIndex = reverse.fe_ecmp_nh_index
        for (const id of nh.nhr_nh_list.slice(0, FLOW_COMPONENT_NH_COUNT)) components.push(await nexthop(id))
      }
    }
  }

  // The mirrors' next hops.
  const mirror = async (index: number): Promise<FlowMirrorInfo | undefined> => {
    let entry
    try {
      entry = await get('vr_mirror_req', {mirr_index: index})
    } catch (error) {
      if (error instanceof VrouterError) return undefined
      throw error
    }
    return {index, nexthop: await nexthop(entry.mirr_nhid)}
  }
  const mirrored = (e.fe_flags & FLOW_FLAG.MIRROR) !== 0
  const primaryMirror = mirrored ? await mirror(e.fe_mirror_id) : undefined
  const secondaryMirror = mirrored ? await mirror(e.fe_sec_mirror_id) : undefined

  // The routes (flow_get_routes): the stock MAC buffer travels with every route GET and keeps the last bridge lookup's MAC.
  const family = e.fe_type === VP_TYPE.IP6 ? AF_INET6 : AF_INET
  const mac = new Uint8Array(6)
  const routeInfo = async (vrf: number, address: Uint8Array): Promise<FlowRouteInfo> => {
    const route = await get('vr_route_req', {rtr_vrf_id: vrf, rtr_family: family, rtr_prefix: Array.from(address), rtr_prefix_len: 8 * address.length, rtr_label_flags: LABEL_VALID, rtr_mac: Array.from(mac)})
    const routeHop = await hop(await nexthop(route.rtr_nh_id))
    if (route.rtr_mac.length < 6 || route.rtr_mac.slice(0, 6).every((b) => b === 0)) return {route, hop: routeHop}
    mac.set(route.rtr_mac.slice(0, 6))
    const bridge = await get('vr_route_req', {rtr_vrf_id: vrf, rtr_family: AF_BRIDGE, rtr_index: -1, rtr_label_flags: LABEL_VALID, rtr_mac: Array.from(mac)})
    return {route, hop: routeHop, bridge: {route: bridge, hop: await hop(await nexthop(bridge.rtr_nh_id))}}
  }
  let source: FlowRouteInfo | undefined
  let destination: FlowRouteInfo | undefined
  // A NAT flow without its reverse flow gets no routes at all.
  if (e.fe_action !== FLOW_ACTION.NAT || reverse) {
    source = await routeInfo(e.fe_vrf, flowSource(e))
    const vrf = e.fe_flags & FLOW_FLAG.VRFT ? e.fe_dvrf : e.fe_vrf
    // Destination NAT: the route to where the packets really go, the reverse flow's source.
    if (!(e.fe_flags & FLOW_FLAG.DNAT)) destination = await routeInfo(vrf, flowDestination(e))
    else if (reverse) destination = await routeInfo(vrf, flowSource(reverse))
  }

  const drops = await get('vr_drop_stats_req', {vds_core: 0})

  // While printing, each ECMP composite shown fetches its member again (in print order).
  const withMember = async (h: FlowHop | undefined): Promise<FlowHop | undefined> => {
    if (!h) return h
    const nh = h.nexthop
    if (ecmpIndex < 0 || nh.nhr_type !== NH_TYPE.COMPOSITE || !(nh.nhr_flags & NH_FLAG.COMPOSITE_ECMP) || ecmpIndex >= nh.nhr_nh_list.length) return h
    return {...h, member: await withMember({nexthop: await nexthop(nh.nhr_nh_list[ecmpIndex]!)})}
  }
  const withMembers = async (info: FlowRouteInfo | undefined): Promise<FlowRouteInfo | undefined> =>
    info && {route: info.route, hop: await withMember(info.hop), ...(info.bridge ? {bridge: {route: info.bridge.route, hop: (await withMember(info.bridge.hop))!}} : {})}
  expectedSource = await withMember(expectedSource)
  source = await withMembers(source)
  destination = await withMembers(destination)

  return {
    ecmpIndex,
    components,
    drops,
    ...(expectedSource ? {expectedSource} : {}),
    ...(source ? {source} : {}),
    ...(destination ? {destination} : {}),
    ...(primaryMirror ? {primaryMirror} : {}),
    ...(secondaryMirror ? {secondaryMirror} : {}),
  }
}
