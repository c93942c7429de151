import {IndexedTableTool, type IndexedToolSpec, describeIndexedTool} from '../cli/legacy/indexed-tool.js'
import {VRF_FLAG} from '../lib/model/constants.js'
import {VRFTABLE_COMMAND_USAGE, VRFTABLE_HEADER, VRFTABLE_USAGE, vrftableJson, vrftableLine} from '../lib/render/vrftable.js'

const VRFTABLE: IndexedToolSpec<'vr_vrf_req'> = {
  tool: 'vrftable',
  message: 'vr_vrf_req',
  indexLetter: 'v',
  defaultIndex: -1,
  valueOptions: [
    {id: 'hbs-l', short: 'l', takesArgument: true},
    {id: 'hbs-r', short: 'r', takesArgument: true},
  ],
  createNeeds: ['hbs-l', 'hbs-r'],
  // A create always claims both sides valid; GET and DELETE name the VRF alone.
  fields: ({verb, index, values}) =>
    verb === 'dump'
      ? {}
      : verb === 'create'
        ? {vrf_idx: index, vrf_flags: VRF_FLAG.VALID | VRF_FLAG.HBF_L_VALID | VRF_FLAG.HBF_R_VALID, vrf_hbfl_vif_idx: values.get('hbs-l')!, vrf_hbfr_vif_idx: values.get('hbs-r')!}
        : {vrf_idx: index},
  line: vrftableLine,
  json: vrftableJson,
  usage: VRFTABLE_USAGE,
  commandUsage: VRFTABLE_COMMAND_USAGE,
  header: VRFTABLE_HEADER,
}

export default class Vrftable extends IndexedTableTool<'vr_vrf_req'> {
  static override summary = 'The VRF table and its host-based-service interfaces, as the stock `vrftable` tool'

  static override description = describeIndexedTool(VRFTABLE, 'vrftable --dump | --get <vrf> | --create <vrf> --hbs-l <vif> --hbs-r <vif> | --delete <vrf> [--sock-dir DIR]', 'The stock tool leaves the fields of GET, DELETE and DUMP requests other than index and marker uninitialised; this one sends zeros.')

  static override examples = [
    '<%= config.bin %> vrftable --dump --sock-dir /tmp/vr',
    '<%= config.bin %> vrftable --create 7 --hbs-l 5 --hbs-r 6',
    '<%= config.bin %> vrftable --get 7 --json',
  ]

  protected readonly spec = VRFTABLE
}
