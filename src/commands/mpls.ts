import {IndexedTableTool, type IndexedToolSpec, NEXTHOP_OPTION} from '../cli/legacy/indexed-tool.js'
import {MPLS_COMMAND_USAGE, MPLS_HEADER, MPLS_USAGE, mplsJson, mplsLine} from '../lib/render/mpls.js'

const MPLS: IndexedToolSpec<'vr_mpls_req'> = {
  tool: 'mpls',
  message: 'vr_mpls_req',
  indexLetter: 'l',
  defaultIndex: 0,
  valueOptions: [NEXTHOP_OPTION],
  createNeeds: ['nh'],
  usage: MPLS_USAGE,
  commandUsage: MPLS_COMMAND_USAGE,
  header: MPLS_HEADER,
  fields: ({verb, index, values}) => ({mr_label: verb === 'dump' ? 0 : index, mr_nhid: verb === 'create' ? values.get('nh')! : 0}),
  line: mplsLine,
  json: mplsJson,
}

export default class Mpls extends IndexedTableTool<'vr_mpls_req'> {
  static override summary = 'The incoming MPLS label map, as the stock `mpls` tool (same options, same output)'

  static override description = `mpls --dump | --get <label> | --create <label> --nh <id> | --delete <label> [--sock-dir DIR]

Byte-compatible with the stock tool, including its command line: options act in order, the short verbs
-c/-d/-g/-b work on label 0 (their -l option always ends in the low-level usage). Additions: --json (entries as
JSON), --socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane
refused, 4 no forwarding plane); --legacy-exit gives the stock ones (1 for usage and for no connection, 0 otherwise).`

  static override examples = [
    '<%= config.bin %> mpls --dump --sock-dir /tmp/vr',
    '<%= config.bin %> mpls --get 16 --json',
    '<%= config.bin %> mpls --create 40 --nh 21',
  ]

  protected readonly spec = MPLS
}
