/** `mirror` output: the stock tool's text (TF utils/mirror.c, byte for byte) and our JSON. */
import {MIRROR_FLAGS, flagLetters, flagNames} from '../model/constants.js'
import type {MessageFields} from '../sandesh/schema.js'

type Mirror = Pick<MessageFields<'vr_mirror_req'>, 'mirr_index' | 'mirr_nhid' | 'mirr_flags' | 'mirr_vni' | 'mirr_vlan'>

/** The legend line ends in a space, as the stock tool prints it. */
export const MIRROR_HEADER =
  'Mirror Table\n\nFlags:D=Dynamic Mirroring, Hw=NIC Assisted Mirroring \n\nIndex    NextHop    Flags       VNI    Vlan\n------------------------------------------------\n'

/** One entry; the VNI column is left out (not blanked) when the VNI is -1, so later columns shift left. */
export function mirrorLine(entry: Mirror): string {
  const flags = flagLetters(entry.mirr_flags, MIRROR_FLAGS)
  const vni = entry.mirr_vni === -1 ? '' : `    ${String(entry.mirr_vni).padStart(7)}`
  return `${String(entry.mirr_index).padStart(5)}    ${String(entry.mirr_nhid).padStart(7)}    ${flags.padStart(4)}${vni}    ${String(entry.mirr_vlan).padStart(4)}\n`
}

export function mirrorJson(entry: Mirror): {index: number; nexthop: number; flags: string[]; vni: number | null; vlan: number} {
  const {names, unknown} = flagNames(entry.mirr_flags, MIRROR_FLAGS)
  return {
    index: entry.mirr_index,
    nexthop: entry.mirr_nhid,
    flags: unknown ? [...names, `0x${unknown.toString(16)}`] : names,
    vni: entry.mirr_vni === -1 ? null : entry.mirr_vni,
    vlan: entry.mirr_vlan,
  }
}

export const MIRROR_USAGE = `Usage:  mirror --dump
        mirror --get <index>
        mirror --help

--dump  Dumps the mirror table
--get   Dumps the mirror entry corresponding to index <index>
--sock-dir  <netlink sock dir>
--help  Prints this help message
`

export const MIRROR_COMMAND_USAGE = `Usage:      mirror --create <index> --nh <nh index> --vni <vxlan id> --dyn
            mirror --delete <index>

--create    Create a mirror entry for <index> with nexthop set to <nh index>
--delete    Delete the entry corresponding to <index>
`
