import {InfoTool} from '../cli/legacy/info-tool.js'
import type {Outcome} from '../cli/legacy/tool.js'
import {OPERAND, type Parsed, atoi, strtol} from '../cli/legacy/getopt.js'
import type {Platform} from '../lib/ksync/platform.js'
import {DPDKINFO_USAGE, INFO_SECTIONS, type InfoSection} from '../lib/render/dpdkinfo.js'

/** The stock tool refuses an output buffer of 1000 MB or more. */
const MAX_BUFFER = 0x3e800000
const BOND_MAX_SLAVES = 6

/** Which arguments a section accepts (undefined: any); a section without argument takes none. */
const ACCEPTS: Partial<Record<InfoSection, (arg: string) => boolean>> = {
  lacp: (a) => a === 'all' || a === 'conf',
  stats: (a) => a === 'eth',
  xstats: (a) => a === '' || a === 'all' || a === '0' || (atoi(a) > 0 && atoi(a) <= BOND_MAX_SLAVES),
  ddp: (a) => a === 'list',
}
const TAKES_ARGUMENT: readonly InfoSection[] = ['lacp', 'mempool', 'stats', 'xstats', 'ddp', 'link']

export default class Dpdkinfo extends InfoTool {
  static override summary = "The DPDK forwarding plane's own reports (bond, LACP, mempools, NIC stats, lcores, …), as the stock `dpdkinfo`"

  static override description = `dpdkinfo --version | --bond | --lacp all|conf | --mempool all|<name> | --stats eth | --xstats[=all|=N] | --lcore | --app | --ddp list [--buffsz N] [--sock-dir DIR]

The forwarding plane formats these reports; the tool prints them as received, like the stock tool (which this one follows option for option, its short forms -v -b -l -m -n -x -c -a -d -p included). Only a DPDK (or vtest) forwarding plane answers: on a kernel platform the usage is printed. Additions: --json ({"section": …, "text": …}), --socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (234 for usage, 255 for no connection, 0 otherwise).`

  static override examples = ['<%= config.bin %> dpdkinfo --bond', '<%= config.bin %> dpdkinfo --lcore --sock-dir /tmp/vr', '<%= config.bin %> dpdkinfo --mempool all --json']

  protected readonly tool = 'dpdkinfo'
  protected readonly usageText = DPDKINFO_USAGE
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'vrouter-error': 0, 'no-connection': 255}
  protected readonly options = {
    long: [
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'version', arg: 'none', id: 'version'},
      {name: 'bond', arg: 'none', id: 'bond'},
      {name: 'lacp', arg: 'required', id: 'lacp'},
      {name: 'mempool', arg: 'required', id: 'mempool'},
      {name: 'stats', arg: 'required', id: 'stats'},
      {name: 'xstats', arg: 'optional', id: 'xstats'},
      {name: 'lcore', arg: 'none', id: 'lcore'},
      {name: 'app', arg: 'none', id: 'app'},
      {name: 'ddp', arg: 'required', id: 'ddp'},
      {name: 'buffsz', arg: 'required', id: 'buffsz'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      {name: 'link', arg: 'required', id: 'link'},
    ] as const,
    // Operands come back in place ("-") and getopt stays silent (":"); "-s" takes no argument (a stock slip).
    short: '-:hvbl:m:sn:p:d:cax::',
    shortIds: {h: 'help', v: 'version', b: 'bond', l: 'lacp', m: 'mempool', s: 'short-sock-dir', n: 'stats', p: 'link', d: 'ddp', c: 'lcore', a: 'app', x: 'xstats'},
  }

  protected override platform(): Platform {
    return this.has('short-sock-dir') ? 'vtest' : super.platform()
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    let section: InfoSection | undefined
    let inbuf: string | undefined
    let buffer = 0
    // Options act in order; the last section named is the one asked for, its argument checked as it comes.
    for (const o of parsed.options) {
      if (o.id === '?' || o.id === ':' || o.id === OPERAND) return this.usage()
      if (o.id === 'help') return this.help()
      if (o.id === 'buffsz') {
        buffer = strtol(o.value!).value >>> 0
        if (buffer >= MAX_BUFFER) return this.usage()
      } else if (o.id in INFO_SECTIONS) {
        section = o.id as InfoSection
        if (TAKES_ARGUMENT.includes(section)) {
          const arg = o.value ?? ''
          const accepts = ACCEPTS[section]
          if (accepts && !accepts(arg)) return this.usage()
          inbuf = arg
        }
      }
    }
    const platform = this.platform()
    if (section === undefined || platform === 'kernel') return this.usage()
    return this.report(section, inbuf ?? '', buffer)
  }
}
