import {Flags} from '@oclif/core'
import {writeFile} from 'node:fs/promises'
import {BaseCommand} from '../../cli/base-command.js'
import {connectClient, endpointFlags} from '../../cli/endpoint.js'
import {saveScenario} from '../../emulator/scenario/save.js'

export default class EmulatorSave extends BaseCommand {
  static override summary = 'Save the state of a running forwarding plane (the emulator, or a real vRouter) as a scenario'

  static override description = `Reads interfaces, next hops, routes (rebuilt from the route-table dump), labels, VNIs, mirrors,
VRFs, QoS and forwarding-class maps, VRF and drop counters and the runtime settings over ksync, and writes
them as a scenario that \`emulator start --scenario\` loads back.

Exit status: 0 saved; 3 the forwarding plane refused a request; 4 it cannot be reached.`

  static override examples = [
    {description: 'Snapshot the emulator into a file', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr -o lab.yaml'},
    {description: 'Snapshot a DPDK compute node (routes of VRFs 0-9)', command: '<%= config.bin %> <%= command.id %> --vrfs 0-9 > node.yaml'},
  ]

  static override flags = {
    ...endpointFlags,
    output: Flags.string({char: 'o', description: 'file to write (default: standard output)'}),
    vrfs: Flags.string({description: 'VRFs whose routes to save, as a list and ranges (0,2,5-9)', default: '0-15'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(EmulatorSave)
    const vrfs = parseRanges(flags.vrfs)
    if (!vrfs) this.error(`--vrfs ${flags.vrfs}: expected numbers and ranges like 0,2,5-9`, {exit: 2})
    const client = await connectClient(flags)
    try {
      const text = await saveScenario(client, {vrfs})
      if (flags.output) await writeFile(flags.output, text)
      else process.stdout.write(text)
    } finally {
      client.close()
    }
  }
}

function parseRanges(text: string): number[] | undefined {
  const out: number[] = []
  for (const part of text.split(',')) {
    const m = part.trim().match(/^(\d+)(?:-(\d+))?$/)
    if (!m) return undefined
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])]
    if (to < from || to - from > 65535) return undefined
    for (let v = from; v <= to; v++) out.push(v)
  }
  return out
}
