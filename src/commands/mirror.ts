import {IndexedTableTool, type IndexedToolSpec} from '../cli/legacy/indexed-tool.js'
import {MIRROR_COMMAND_USAGE, MIRROR_FLAG_DYNAMIC, MIRROR_HEADER, MIRROR_USAGE, mirrorJson, mirrorLine} from '../lib/render/mirror.js'
import {strtol} from '../cli/legacy/getopt.js'

const MIRROR: IndexedToolSpec<'vr_mirror_req'> = {
  tool: 'mirror',
  message: 'vr_mirror_req',
  indexLetter: 'm',
  defaultIndex: -1,
  extraOptions: [
    {name: 'dyn', arg: 'none', id: 'dyn'},
    {name: 'vni', arg: 'required', id: 'vni'},
  ],
  usage: MIRROR_USAGE,
  commandUsage: MIRROR_COMMAND_USAGE,
  header: MIRROR_HEADER,
  // Only an ADD carries next hop, flags and VNI (-1 when not given); GET and DELETE name the index alone.
  fields: ({verb, index, nexthop, extras}) =>
    verb === 'dump'
      ? {}
      : verb === 'create'
        ? {mirr_index: index, mirr_nhid: nexthop, mirr_flags: extras.has('dyn') ? MIRROR_FLAG_DYNAMIC : 0, mirr_vni: extras.has('vni') ? strtol(extras.get('vni')!).value | 0 : -1}
        : {mirr_index: index},
  line: mirrorLine,
  json: mirrorJson,
}

export default class Mirror extends IndexedTableTool<'vr_mirror_req'> {
  static override summary = 'The mirror table, as the stock `mirror` tool (same options, same output)'

  static override description = `mirror --dump | --get <index> | --create <index> --nh <id> [--vni <vni>] [--dyn] | --delete <index>
       [--sock-dir DIR]

Byte-compatible with the stock tool, including its command line: options act in order, the short verbs
-c/-d/-g/-b work on index -1 (their -m option always ends in the low-level usage). The stock tool leaves the
fields of GET, DELETE and DUMP requests other than index and marker uninitialised; this one sends zeros.
Additions: --json, --socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the
forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (1 for usage and for no
connection, 0 otherwise).`

  static override examples = [
    '<%= config.bin %> mirror --dump --sock-dir /tmp/vr',
    '<%= config.bin %> mirror --create 1 --nh 12 --vni 5001 --dyn',
    '<%= config.bin %> mirror --get 1 --json',
  ]

  protected readonly spec = MIRROR
}
