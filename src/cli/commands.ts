/** Every command of the suite, by oclif id (topic parts joined with ':'). */
import {commands as helpCommands} from '@oclif/plugin-help'
import KsyncDecode from '../commands/ksync/decode.js'
import KsyncEncode from '../commands/ksync/encode.js'

export const COMMANDS = {
  ...helpCommands,
  'ksync:decode': KsyncDecode,
  'ksync:encode': KsyncEncode,
}
