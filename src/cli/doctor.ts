/**
 * `doctor`: what this host offers the tools, one line per check — which vRouter flavour the agent config names, whether
 * its ksync endpoint is there and answers, whether the flow and bridge tables can be mapped — each saying what is wrong.
 */
import {accessSync, constants, existsSync, statSync} from 'node:fs'
import type {KsyncClient} from '../lib/ksync/client.js'
import {MODULE_NOT_LOADED, type Transport, chooseTransport, openKsync} from '../lib/ksync/connect.js'
import {AGENT_CONFIG, type Platform, platformOf, readAgentConfig, socketOf} from '../lib/ksync/platform.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {FlowOp, SandeshOp} from '../lib/sandesh/types.js'
import {addonNotice} from '../lib/shm/table.js'

export type CheckStatus = 'ok' | 'fail' | 'info'

export interface Check {
  readonly status: CheckStatus
  readonly line: string
}

export interface DoctorOptions {
  readonly configPath: string
  /** --sock-dir: an emulator or a vtest forwarding plane instead of the host's. */
  readonly sockDir?: string
  /** --transport: this one instead of the one the stock tools would use. */
  readonly transport?: Transport
  readonly timeoutMs: number
}

const ok = (line: string): Check => ({status: 'ok', line})
const fail = (line: string): Check => ({status: 'fail', line})
const info = (line: string): Check => ({status: 'info', line})

function platformCheck(options: DoctorOptions): {check: Check; platform: Platform} {
  const text = readAgentConfig(options.configPath)
  const {platform} = platformOf(text, options.sockDir !== undefined)
  if (options.sockDir !== undefined) return {platform, check: info(`platform: vtest (--sock-dir ${options.sockDir})`)}
  if (text === undefined) return {platform, check: info(`platform: kernel (no ${options.configPath}; the stock tools assume the kernel module then)`)}
  return {platform, check: ok(`platform: ${platform} (${options.configPath})`)}
}

/** Whether the user may read and write a path (sockets and devices need both). */
function accessible(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK | constants.W_OK)
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied (run as root or as the vRouter group)' : (error as Error).message
  }
}

/** The transport and its endpoint: there, accessible, answering a vrouter_ops GET. */
async function ksyncChecks(platform: Platform, options: DoctorOptions): Promise<{checks: Check[]; client?: KsyncClient}> {
  const {transport, why} = options.transport ? {transport: options.transport, why: '--transport'} : chooseTransport(platform)
  const checks = [info(`transport: ${transport} (${why})`)]
  const endpoint = socketOf(platform, options.sockDir)
  if (transport === 'socket') {
    const path = endpoint.path
    const denied = (reason: string | undefined) => reason && `: ${reason}`
    const problem = !existsSync(path)
      ? ` does not exist (is the ${platform === 'vtest' ? 'emulator' : 'DPDK vRouter'} running?)`
      : !statSync(path).isSocket() ? ' is not a socket' : denied(accessible(path))
    if (problem) return {checks: [...checks, fail(`ksync socket: ${path}${problem}`)]}
  }
  const label = transport === 'netlink' ? 'ksync over generic netlink' : transport === 'pipe' ? 'ksync device' : `ksync socket: ${endpoint.path}`
  let client: KsyncClient | undefined
  try {
    const connection = await openKsync({transport, path: transport === 'socket' ? endpoint.path : undefined, family: endpoint.family, timeoutMs: options.timeoutMs})
    client = connection.client
    const request = codecFor('current').defaults('vrouter_ops')
    request.fields.h_op = SandeshOp.GET
    const ops = (await client.get(request)) as SandeshObject<'vrouter_ops'>
    const what = transport === 'socket' ? label : `ksync: ${connection.description}`
    return {checks: [...checks, ok(`${what} answers (${ops.fields.vo_interfaces} interfaces, ${ops.fields.vo_flow_entries} flow entries)`)], client}
  } catch (error) {
    client?.close()
    const {message} = error as Error
    const hint = message === MODULE_NOT_LOADED && !existsSync('/sys/module/vrouter') ? ' (no /sys/module/vrouter)' : ''
    return {checks: [...checks, fail(`${label}: ${message}${hint}`)]}
  }
}

/** The shared-memory tables: where the forwarding plane says they are, and whether they can be read. */
async function tableChecks(client: KsyncClient | undefined, platform: Platform): Promise<Check[]> {
  if (platform === 'kernel') {
    return ['/dev/flow', '/dev/vr_bridge'].map((dev) => {
      if (!existsSync(dev)) return info(`${dev}: absent (the stock tools create it with mknod from the major number the module reports)`)
      const denied = accessible(dev)
      return denied ? fail(`${dev}: ${denied}`) : ok(`${dev}: readable`)
    })
  }
  if (!client) return []
  const checks: Check[] = []
  const flow = codecFor('current').defaults('vr_flow_table_data')
  flow.fields.ftable_op = FlowOp.FLOW_TABLE_GET
  const bridge = codecFor('current').defaults('vr_bridge_table_data')
  bridge.fields.btable_op = SandeshOp.GET
  const tables: [string, SandeshObject, (o: SandeshObject) => string][] = [
    ['flow table', flow, (o) => (o as SandeshObject<'vr_flow_table_data'>).fields.ftable_file_path],
    ['bridge table', bridge, (o) => (o as SandeshObject<'vr_bridge_table_data'>).fields.btable_file_path],
  ]
  for (const [label, request, pathOf] of tables) {
    try {
      const path = pathOf(await client.get(request))
      if (!path) checks.push(info(`${label}: the forwarding plane gives no file`))
      else if (!existsSync(path)) checks.push(fail(`${label}: ${path} does not exist`))
      else {
        try {
          accessSync(path, constants.R_OK)
          checks.push(ok(`${label}: ${path} (${statSync(path).size} bytes) readable`))
        } catch {
          checks.push(fail(`${label}: ${path}: permission denied`))
        }
      }
    } catch (error) {
      checks.push(fail(`${label}: ${(error as Error).message}`))
    }
  }
  return checks
}

/** How the tools will read the tables: mapped through the addon, or with pread. */
function addonCheck(): Check {
  const notice = addonNotice()
  return notice ? info(`tables: ${notice}`) : ok('tables: mapped read-only through the mmap addon')
}

export async function runChecks(options: DoctorOptions): Promise<Check[]> {
  const {check, platform} = platformCheck(options)
  const {checks: ksync, client} = await ksyncChecks(platform, options)
  try {
    return [check, ...ksync, ...(await tableChecks(client, platform)), addonCheck()]
  } finally {
    client?.close()
  }
}

export const DEFAULT_DOCTOR_OPTIONS = {configPath: process.env.VROUTER_UTILS_CONFIG || AGENT_CONFIG, timeoutMs: 3000}
