import {IndexedTableTool, type IndexedToolSpec, describeIndexedTool, NEXTHOP_OPTION} from '../cli/legacy/indexed-tool.js'
import {MIRROR_FLAG} from '../lib/model/constants.js'
import {MIRROR_COMMAND_USAGE, MIRROR_HEADER, MIRROR_USAGE, mirrorJson, mirrorLine} from '../lib/render/mirror.js'

const MIRROR: IndexedToolSpec<'vr_mirror_req'> = {
  tool: 'mirror',
  message: 'vr_mirror_req',
  indexLetter: 'm',
  defaultIndex: -1,
  valueOptions: [NEXTHOP_OPTION, {id: 'dyn', takesArgument: false}, {id: 'vni', takesArgument: true}],
  createNeeds: ['nh'],
  usage: MIRROR_USAGE,
  commandUsage: MIRROR_COMMAND_USAGE,
  header: MIRROR_HEADER,
  // Only an ADD carries next hop, flags and VNI (-1 when not given); GET and DELETE name the index alone.
  fields: ({verb, index, values}) =>
    verb === 'dump'
      ? {}
      : verb === 'create'
        ? {mirr_index: index, mirr_nhid: values.get('nh')!, mirr_flags: values.has('dyn') ? MIRROR_FLAG.DYNAMIC : 0, mirr_vni: values.get('vni') ?? -1}
        : {mirr_index: index},
  line: mirrorLine,
  json: mirrorJson,
}

export default class Mirror extends IndexedTableTool<'vr_mirror_req'> {
  static override summary = 'The mirror table, as the stock `mirror` tool (same options, same output)'

  static override description = describeIndexedTool(MIRROR, 'mirror --dump | --get <index> | --create <index> --nh <id> [--vni <vni>] [--dyn] | --delete <index> [--sock-dir DIR]', 'The stock tool leaves the fields of GET, DELETE and DUMP requests other than index and marker uninitialised; this one sends zeros.')

  static override examples = [
    '<%= config.bin %> mirror --dump --sock-dir /tmp/vr',
    '<%= config.bin %> mirror --create 1 --nh 12 --vni 5001 --dyn',
    '<%= config.bin %> mirror --get 1 --json',
  ]

  protected readonly spec = MIRROR
}
