import {Flags} from '@oclif/core'
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {BaseCommand} from '../../cli/base-command.js'
import {InputError} from '../../cli/exit.js'
import {endpointOf} from '../../cli/endpoint.js'
import {pkt0Flags, pkt0PathOf} from '../../cli/pkt0-endpoint.js'
import {DEMO_SCENARIO} from '../../emulator/scenario/demo.js'
import {ScenarioError, loadScenario} from '../../emulator/scenario/load.js'
import {DEFAULT_BUSY_POLL_US, DEFAULT_LIMITS, KsyncServer, MAX_BUSY_POLL_US} from '../../emulator/server/server.js'
import {VrouterState} from '../../emulator/state/index.js'
import {Datapath} from '../../emulator/traffic/datapath.js'
import {Pkt0Endpoint} from '../../emulator/traffic/endpoint.js'
import {startTraffic} from '../../emulator/traffic/scenario.js'
import {WIRE_PIPE, WIRE_SOCKET_NAME, WireServer} from '../../emulator/traffic/wire.js'
import {DEFAULT_SOCK_DIR, isPipePath} from '../../lib/transport/endpoint.js'
import {describePkt0Path} from '../../lib/transport/pkt0.js'

export default class EmulatorStart extends BaseCommand {
  static override summary = 'Run the emulated vRouter forwarding plane: a ksync server the stock tools and ours can use'

  static override description = `Serves ksync on a Unix stream socket exactly as a DPDK vRouter does (DIR/dpdk_netlink with
--sock-dir, so the stock tools reach it with their own --sock-dir DIR), one session per connection. The
state starts from a scenario file (YAML or JSON, see docs/emulator.md), the built-in "demo", or empty (only
the discard next hop). Logs one line per connection, and with -v one per request. Runs until interrupted.

Beside it, the pkt0 channel to the agent (DIR/dpdk_pkt0, sending traps to DIR/agent_pkt0, which \`pkt0 capture\`
binds; a named pipe on Windows) and the emulator's wire (DIR/emulator_wire), through which \`emulator inject\`
sends packets into interfaces. Both are left out, with a warning, where they cannot be served.

Exit status: 0 stopped by a signal; 1 the scenario is not valid (nothing is started); 4 the socket cannot be
served (path too long, in use).`

  static override examples = [
    {description: 'The demo compute node, for the stock tools and ours', command: '<%= config.bin %> <%= command.id %> --scenario demo --sock-dir /tmp/vr'},
    {description: 'Then, from another shell', command: 'vif --sock-dir /tmp/vr --list'},
    {description: 'Your own scenario, counters moving every second, every request logged', command: '<%= config.bin %> <%= command.id %> --scenario lab.yaml --sock-dir /tmp/vr --tick 1 -v'},
  ]

  static override flags = {
    scenario: Flags.string({char: 's', description: 'scenario file, or "demo" for the built-in compute node'}),
    'sock-dir': Flags.string({description: 'serve DIR/dpdk_netlink (default /var/run/vrouter)', exclusive: ['socket']}),
    socket: Flags.string({description: 'serve this socket path or named pipe instead'}),
    tick: Flags.integer({description: 'move the counters every N seconds', min: 1}),
    verbose: Flags.boolean({char: 'v', description: 'log every request'}),
    'max-sessions': Flags.integer({description: 'connections served at once', default: DEFAULT_LIMITS.maxSessions, min: 1}),
    ...pkt0Flags,
    wire: Flags.string({description: `the wire packets are injected through (default DIR/${WIRE_SOCKET_NAME}; ${WIRE_PIPE} with a pipe)`}),
    'max-queued-bytes': Flags.integer({description: 'unsent reply bytes per session before it is no longer read', default: DEFAULT_LIMITS.maxQueuedBytes, min: 4096}),
    'busy-poll': Flags.integer({
      description: `after serving a session, keep reading it for N µs without waiting, as DPDK lcores poll (0: off; up to ${MAX_BUSY_POLL_US}; costs CPU)`,
      default: DEFAULT_BUSY_POLL_US,
      min: 0,
      max: MAX_BUSY_POLL_US,
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(EmulatorStart)
    const state = await this.state(flags.scenario)
    const {path} = endpointOf(flags)
    // The shared table files go beside the socket, as a DPDK vRouter's (<sockdir>/flow.shmem, bridge.shmem).
    if (flags['sock-dir'] !== undefined) state.tableDirectory.dir = flags['sock-dir']
    const server = new KsyncServer(state, {path, limits: {maxSessions: flags['max-sessions'], maxQueuedBytes: flags['max-queued-bytes']}, busyPollUs: flags['busy-poll']})
    server.on('session', (event, info, reason) => this.log(`session ${info.id} ${event === 'open' ? 'opened' : `closed (${reason}) after ${info.requests} request(s)`}`))
    server.on('rejected', (reason) => this.log(`connection refused: ${reason}`))
    server.on('fault', (error) => this.logToStderr(`emulator fault (the client got EINVAL): ${error.stack ?? error.message}`))
    if (flags.verbose) {
      server.on('request', (info, request, replies) => this.log(`session ${info.id}: ${request.map((o) => `${o.name} ${opName(o.fields)}`).join(', ') || '(undecodable)'} → ${replies} message(s)`))
    }
    await server.listen()
    this.log(`emulator: serving ksync on ${path} (${server.flavour} framing); ${summary(state)}; Ctrl-C stops`)
    const dir = flags['sock-dir'] ?? (flags.socket && !isPipePath(flags.socket) ? dirname(flags.socket) : DEFAULT_SOCK_DIR)
    const datapath = new Datapath(state)
    const pkt0Path = pkt0PathOf(flags, dir)
    const pkt0 = await Pkt0Endpoint.open(datapath, pkt0Path).then(
      (endpoint) => (this.log(`emulator: pkt0 on ${describePkt0Path(pkt0Path)}`), endpoint),
      (error: Error) => void this.warn(`pkt0 is not served: ${error.message}`),
    )
    const wirePath = flags.wire ?? (pkt0Path.kind === 'stream' ? WIRE_PIPE : join(dir, WIRE_SOCKET_NAME))
    const wire = await WireServer.listen(wirePath, datapath).then(
      (w) => (this.log(`emulator: packets enter through ${wirePath}`), w),
      (error: Error) => void this.warn(`the wire is not served: ${error.message}`),
    )
    const stopTraffic = startTraffic(state, datapath, state.traffic)
    const ticker = flags.tick ? setInterval(() => state.tick(), flags.tick * 1000) : undefined
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    if (ticker) clearInterval(ticker)
    stopTraffic()
    await pkt0?.close()
    await wire?.close()
    await server.close()
    state.tableDirectory.remove()
    this.log('emulator: stopped')
  }

  private async state(scenario: string | undefined): Promise<VrouterState> {
    if (scenario === undefined) return new VrouterState()
    if (scenario === 'demo') return loadScenario(DEMO_SCENARIO, 'demo')
    let text: string
    try {
      text = await readFile(scenario, 'utf8')
    } catch (error) {
      throw new InputError(`cannot read ${scenario}: ${(error as Error).message.replace(/^[A-Z]+: /, '')}`)
    }
    try {
      return loadScenario(text, scenario)
    } catch (error) {
      throw error instanceof ScenarioError ? new InputError(error.message) : error
    }
  }
}

const OPS = ['ADD', 'GET', 'DEL', 'DUMP', 'RESPONSE', 'RESET']

function opName(fields: object): string {
  const op = (fields as {h_op?: number}).h_op
  return op === undefined ? '' : (OPS[op] ?? String(op))
}

export function summary(state: VrouterState): string {
  return [
    `${state.interfaces.table.size} interface(s)`,
    `${state.nexthops.table.size} next hop(s)`,
    `${state.mpls.entries.size} label(s)`,
    `${state.vxlan.entries.size} VNI(s)`,
    `${state.routes.bridge.size} bridge entr${state.routes.bridge.size === 1 ? 'y' : 'ies'}`,
    `${state.flows.table.size} flow(s)`,
  ].join(', ')
}
