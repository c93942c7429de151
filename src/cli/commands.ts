/** Every command of the suite, by oclif id (topic parts joined with ':'). */
import {commands as helpCommands} from '@oclif/plugin-help'
import Completion from '../commands/completion.js'
import Doctor from '../commands/doctor.js'
import Dpdkinfo from '../commands/dpdkinfo.js'
import Dropstats from '../commands/dropstats.js'
import EmulatorInject from '../commands/emulator/inject.js'
import EmulatorSave from '../commands/emulator/save.js'
import EmulatorStart from '../commands/emulator/start.js'
import EmulatorValidate from '../commands/emulator/validate.js'
import Flow from '../commands/flow.js'
import InstallLinks from '../commands/install-links.js'
import KsyncDecode from '../commands/ksync/decode.js'
import KsyncEncode from '../commands/ksync/encode.js'
import KsyncRequest from '../commands/ksync/request.js'
import Mirror from '../commands/mirror.js'
import Mpls from '../commands/mpls.js'
import Nh from '../commands/nh.js'
import Pkt0Capture from '../commands/pkt0/capture.js'
import Pkt0Decode from '../commands/pkt0/decode.js'
import Pkt0Send from '../commands/pkt0/send.js'
import Qosmap from '../commands/qosmap.js'
import Rt from '../commands/rt.js'
import Vif from '../commands/vif.js'
import Vrfstats from '../commands/vrfstats.js'
import Vrmemstats from '../commands/vrmemstats.js'
import Vrftable from '../commands/vrftable.js'
import Vrinfo from '../commands/vrinfo.js'
import Vrouter from '../commands/vrouter.js'
import Vxlan from '../commands/vxlan.js'

export const COMMANDS = {
  ...helpCommands,
  completion: Completion,
  doctor: Doctor,
  dpdkinfo: Dpdkinfo,
  dropstats: Dropstats,
  'emulator:inject': EmulatorInject,
  'emulator:save': EmulatorSave,
  'emulator:start': EmulatorStart,
  'emulator:validate': EmulatorValidate,
  flow: Flow,
  'install-links': InstallLinks,
  'ksync:decode': KsyncDecode,
  'ksync:encode': KsyncEncode,
  'ksync:request': KsyncRequest,
  mirror: Mirror,
  mpls: Mpls,
  nh: Nh,
  'pkt0:capture': Pkt0Capture,
  'pkt0:decode': Pkt0Decode,
  'pkt0:send': Pkt0Send,
  qosmap: Qosmap,
  rt: Rt,
  vif: Vif,
  vrfstats: Vrfstats,
  vrmemstats: Vrmemstats,
  vrftable: Vrftable,
  vrinfo: Vrinfo,
  vrouter: Vrouter,
  vxlan: Vxlan,
}
