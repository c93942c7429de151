import {InfoTool} from '../cli/legacy/info-tool.js'
import {type Parsed, strtol} from '../cli/legacy/getopt.js'
import type {Outcome} from '../cli/legacy/tool.js'
import {VRINFO_USAGE} from '../lib/render/dpdkinfo.js'

export default class Vrinfo extends InfoTool {
  static override summary = "The forwarding plane's version report, as the stock `vrinfo` tool"

  static override description = `vrinfo --version [--buffsz N] [--sock-dir DIR]

Prints the report the forwarding plane formats (any platform), like the stock tool, whose usage names it dpdkinfo (kept). Additions: --json ({"section": "vrouter_version", "text": …}), --socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (234 for usage, 255 for no connection, 0 otherwise).`

  static override examples = ['<%= config.bin %> vrinfo --version', '<%= config.bin %> vrinfo -v --sock-dir /tmp/vr --json']

  protected readonly tool = 'vrinfo'
  protected readonly usageText = VRINFO_USAGE
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'vrouter-error': 0, 'no-connection': 255}
  protected readonly options = {
    long: [
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'version', arg: 'none', id: 'version'},
      {name: 'buffsz', arg: 'required', id: 'buffsz'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
    ] as const,
    short: 'hvs:',
    shortIds: {h: 'help', v: 'version', s: 'sock-dir'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    for (const o of parsed.options) {
      if (o.id === '?') return this.usage()
      if (o.id === 'help') return this.help()
    }
    if (!this.has('version')) return this.usage()
    const buffsz = this.value('buffsz')
    return this.report('vrouter_version', '', buffsz === undefined ? 0 : strtol(buffsz).value >>> 0)
  }
}
