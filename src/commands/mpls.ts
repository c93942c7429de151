import {IndexedTableTool, type IndexedToolSpec, describeIndexedTool, NEXTHOP_OPTION} from '../cli/legacy/indexed-tool.js'
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

  static override description = describeIndexedTool(MPLS, 'mpls --dump | --get <label> | --create <label> --nh <id> | --delete <label> [--sock-dir DIR]')

  static override examples = [
    '<%= config.bin %> mpls --dump --sock-dir /tmp/vr',
    '<%= config.bin %> mpls --get 16 --json',
    '<%= config.bin %> mpls --create 40 --nh 21',
  ]

  protected readonly spec = MPLS
}
