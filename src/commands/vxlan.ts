import {IndexedTableTool, type IndexedToolSpec, describeIndexedTool, NEXTHOP_OPTION} from '../cli/legacy/indexed-tool.js'
import {VXLAN_COMMAND_USAGE, VXLAN_HEADER, VXLAN_USAGE, vxlanJson, vxlanLine} from '../lib/render/vxlan.js'

const VXLAN: IndexedToolSpec<'vr_vxlan_req'> = {
  tool: 'vxlan',
  message: 'vr_vxlan_req',
  indexLetter: 'l',
  defaultIndex: 0,
  valueOptions: [NEXTHOP_OPTION],
  createNeeds: ['nh'],
  usage: VXLAN_USAGE,
  commandUsage: VXLAN_COMMAND_USAGE,
  header: VXLAN_HEADER,
  fields: ({verb, index, values}) => ({vxlanr_vnid: verb === 'dump' ? 0 : index, vxlanr_nhid: verb === 'create' ? values.get('nh')! : 0}),
  line: vxlanLine,
  json: vxlanJson,
}

export default class Vxlan extends IndexedTableTool<'vr_vxlan_req'> {
  static override summary = 'The VXLAN table (VNI to next hop), as the stock `vxlan` tool (same options, same output)'

  static override description = describeIndexedTool(VXLAN, 'vxlan --dump | --get <vnid> | --create <vnid> --nh <id> | --delete <vnid> [--sock-dir DIR]')

  static override examples = [
    '<%= config.bin %> vxlan --dump --sock-dir /tmp/vr',
    '<%= config.bin %> vxlan --get 5001 --json',
    '<%= config.bin %> vxlan --create 5001 --nh 12',
  ]

  protected readonly spec = VXLAN
}
