/**
 * `dropstats --log`: the stock drop-log report (TF utils/vr_util.c vr_print_pkt_drop_log and the messages of
 * utils/dropstats.c) byte for byte, and its JSON form; `dropstats --drop-type help`: the names of the drop types.
 */
import {inetNtop6} from '../model/addresses.js'
import {DROP_LOG_FILES, DROP_REASONS, VP_DROP_MAX, VP_TYPE, VP_TYPES, dropReasonLabel, enumName} from '../model/constants.js'
import {DROP_LOG_HEADER_BYTES, DROP_LOG_MAX, DROP_LOG_PAGE, type DropLogRecord, dropLogRecord} from '../model/droplog.js'
import type {MessageFields} from '../sandesh/schema.js'

type LogReply = MessageFields<'vr_pkt_drop_log_req'>

/** The core a reply is for, numbered from 1 as the stock tool numbers them (a request for core 0, "all", reads core 1). */
const coreOf = (reply: LogReply) => (reply.vdl_core === 0 ? 1 : reply.vdl_core)

export function dropLogHeader(reply: LogReply): string {
  return `**********PKT DROP LOG**********\nTotal No. of CPU's ${reply.vdl_max_num_cores}\nPkt Drop Log for Core ${coreOf(reply)}\n\n`
}

/** How many records of a reply the stock printer walks: a page, or what is left of the ring. */
function span(reply: LogReply): number {
  const left = reply.vdl_pkt_droplog_max_bufsz - reply.vdl_log_idx
  return left < DROP_LOG_PAGE ? left : DROP_LOG_PAGE
}

/** The records of a reply the stock printer shows, with their serial numbers: logged ones, of the type asked for. */
export function shownRecords(reply: LogReply, records: readonly DropLogRecord[], show: number): {serial: number; record: DropLogRecord}[] {
  const out: {serial: number; record: DropLogRecord}[] = []
  for (let i = 0; i < span(reply); i++) {
    // The stock printer reads a page whatever the reply holds: slots past its array read as empty here.
    const record = records[i] ?? dropLogRecord()
    if (record.vpType === 0 || (show !== VP_DROP_MAX && show !== record.dropReason)) continue
    out.push({serial: reply.vdl_log_idx + i, record})
  }
  return out
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number) => String(n).padStart(2, '0')

/** C's asctime(localtime(&t)), newline included (the time zone is the process's, TZ). */
export function asctime(seconds: number): string {
  const d = new Date(seconds * 1000)
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]}${String(d.getDate()).padStart(3)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}\n`
}

const packetType = (vpType: number) => enumName(vpType, VP_TYPES) ?? 'UNKNOWN'
const fileName = (file: number) => DROP_LOG_FILES[file] ?? String(file)
const packetBytes = (r: DropLogRecord) => r.header.subarray(0, Math.min(r.pktLen, DROP_LOG_HEADER_BYTES))
/** A field the stock printer shows only when it is not zero ("%s %d  "). */
const nonZero = (label: string, value: number) => (value ? `${label} ${value | 0}  ` : '')

/** One record as the stock printer writes it (asctime's newline splits it in two lines). */
export function dropLogEntry(serial: number, r: DropLogRecord): string {
  let out = `sl no: ${serial}  Epoch Time: ${r.timestamp} Local Time: ${asctime(r.timestamp)} Packet Type: ${packetType(r.vpType)}  `
  if (r.dropReason) out += `Drop reason: ${dropReasonLabel(r.dropReason)}  `
  out += nonZero('Vif idx:', r.vifIdx) + nonZero('Nexthop id:', r.nhId)
  if (r.vpType === VP_TYPE.IP) out += `Src IP: ${r.src.subarray(0, 4).join('.')}  Dst IP: ${r.dst.subarray(0, 4).join('.')}  `
  else if (r.vpType === VP_TYPE.IP6) out += `Src IPv6: ${inetNtop6(r.src)}  Dst IPv6: ${inetNtop6(r.dst)}  `
  out += nonZero('Source port:', r.sport) + nonZero('Dest port:', r.dport)
  if (r.file) out += `file: ${fileName(r.file)}  `
  out += `line no: ${r.line | 0}  `
  if (r.pktLen) out += `Packet Length: ${r.pktLen}  Packet Data: ${Array.from(packetBytes(r), (b) => `${b.toString(16).toUpperCase().padStart(2, '0')}  `).join('')}`
  return `${out}\n\n`
}

/**
 * The text of one reply's page. The stock printer puts the header before the first record it shows whose serial
 * number is below VR_PKT_DROP_LOG_MAX, once per run (the flag that should bring it back every ring is a shadowed
 * local that never changes): the caller keeps `headerShown` from page to page.
 */
export function dropLogPage(reply: LogReply, records: readonly DropLogRecord[], options: {show: number; headerShown: boolean}): {text: string; headerShown: boolean} {
  let text = ''
  let headerShown = options.headerShown
  for (const {serial, record} of shownRecords(reply, records, options.show)) {
    if (serial < DROP_LOG_MAX && !headerShown) {
      text += dropLogHeader(reply)
      headerShown = true
    }
    text += dropLogEntry(serial, record)
  }
  return {text, headerShown}
}

const dropTypeName = (type: number) => DROP_REASONS[type]?.[0] ?? String(type)

/** The reply says the forwarding plane logs one drop type, another than the one asked for. */
export function dropTypeConflict(reply: LogReply): string {
  return `Pkt drop type already set to ${dropTypeName(reply.vdl_pkt_droplog_type)} \n`
}

/** The log is off: at load time (vdl_pkt_droplog_en) or at run time (the sysctl). Runs of spaces as in the stock source. */
export function dropLogDisabled(reply: LogReply): string {
  if (reply.vdl_pkt_droplog_sysctl_en !== 1) {
    return (
      `\n\nPacket Drop Log sysctl is not enabled or misconfigured, ${' '.repeat(16)}Configured value is ${reply.vdl_pkt_droplog_sysctl_en}\n` +
      `You can enable it by passing "echo 1 > ${' '.repeat(16)}/proc/sys/net/vrouter/pkt_drop_log_enable"\n`
    )
  }
  return (
    `\n\nPkt drop stats log support is not enabled or misconfigured ${' '.repeat(20)}in vrouter module parameters. Configured value is ${reply.vdl_pkt_droplog_en}\n` +
    `You can enable by providing "options vrouter ${' '.repeat(20)}vr_pkt_droplog_buf_en=1" in /etc/modprobe.d/vrouter.conf\n`
  )
}

/** `--drop-type`: the confirmation, naming the type asked for. */
export function dropTypeSet(type: number): string {
  return `\nDropstats log type set successfully ${dropTypeName(type)}\n\n`
}

/** `--drop-type help` (or a name that is not one): the complaint and the names it takes, VP_DROP_MAX excepted. */
export function dropTypeHelp(given: string): string {
  return `Invalid log type ${given}\n${DROP_REASONS.slice(1, VP_DROP_MAX).map(([name]) => `${name}\n`).join('')}`
}

/** A record as JSON. */
export function dropLogEntryJson(reply: LogReply, serial: number, r: DropLogRecord): Record<string, unknown> {
  const ip = r.vpType === VP_TYPE.IP ? (b: Uint8Array) => b.subarray(0, 4).join('.') : r.vpType === VP_TYPE.IP6 ? inetNtop6 : undefined
  return {
    core: coreOf(reply),
    index: serial,
    time: r.timestamp,
    packet_type: packetType(r.vpType),
    reason: r.dropReason ? dropTypeName(r.dropReason) : null,
    vif: r.vifIdx,
    nexthop: r.nhId,
    src: ip ? ip(r.src) : null,
    dst: ip ? ip(r.dst) : null,
    sport: r.sport,
    dport: r.dport,
    file: r.file ? fileName(r.file) : null,
    line: r.line,
    length: r.pktLen,
    data: Array.from(packetBytes(r), (b) => b.toString(16).padStart(2, '0')).join(' '),
  }
}

/** What the first reply says about the log, as JSON (the entries are added by the caller). */
export function dropLogJson(reply: LogReply): Record<string, unknown> {
  return {
    cores: reply.vdl_max_num_cores,
    buffer_size: reply.vdl_pkt_droplog_max_bufsz,
    log_enabled: reply.vdl_pkt_droplog_en === 1,
    sysctl_enabled: reply.vdl_pkt_droplog_sysctl_en === 1,
    drop_type: dropTypeName(reply.vdl_pkt_droplog_type),
  }
}
