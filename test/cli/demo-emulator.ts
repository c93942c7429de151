/**
 * The demo emulator of one test file (started before its tests, closed after), recording what each CLI run sends it:
 * `run` returns the run's output and the objects the emulator received meanwhile (`received`; as `{name, ...fields}`
 * records in `sent`).
 */
import {after, before} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {type CliResult, runCliAsync} from '../cli.js'

export type SentObject = Record<string, unknown> & {name: string}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>
  /** Append `--sock-dir <the emulator's directory>` (default: yes). */
  readonly sockDir?: boolean
}

export interface RecordingEmulator {
  /** The running emulator (between before and after). */
  readonly emulator: Emulator
  run(argv: readonly string[], options?: RunOptions): Promise<CliResult & {sent: SentObject[]; received: SandeshObject[]}>
}

export function useDemoEmulator(): RecordingEmulator {
  let emulator: Emulator | undefined
  const received: SandeshObject[] = []
  before(async () => {
    emulator = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
    emulator.server.on('request', (_info: unknown, objects: readonly SandeshObject[]) => received.push(...objects))
  })
  after(() => emulator?.close())
  return {
    get emulator() {
      if (!emulator) throw new Error('the demo emulator runs only inside the tests')
      return emulator
    },
    async run(argv, {env, sockDir = true} = {}) {
      received.length = 0
      const r = await runCliAsync([...argv, ...(sockDir ? ['--sock-dir', this.emulator.dir] : [])], {env})
      return {...r, sent: received.map((o) => ({name: o.name, ...o.fields}) as SentObject), received: [...received]}
    },
  }
}
