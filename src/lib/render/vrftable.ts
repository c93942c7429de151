/** `vrftable` output: the stock tool's text (TF utils/vrftable.c, byte for byte) and our JSON. */
import {VRF_FLAG, VRF_FLAGS, flagLetters} from '../model/constants.js'
import type {MessageFields} from '../sandesh/schema.js'

type Vrf = Pick<MessageFields<'vr_vrf_req'>, 'vrf_idx' | 'vrf_flags' | 'vrf_hbfl_vif_idx' | 'vrf_hbfr_vif_idx'>

export const VRFTABLE_HEADER =
  'VRF Table\n\nFlags: V=Valid, Hl=HBS Left Valid, Hr=HBS Right Valid\n\n   Vrf   Flags      HBS-L   HBS-R\n------------------------------------------------\n'

/** The host-based-service interfaces of each side, or none when that side is not valid. */
function hbs(v: Vrf): {left: number | null; right: number | null} {
  return {left: v.vrf_flags & VRF_FLAG.HBF_L_VALID ? v.vrf_hbfl_vif_idx : null, right: v.vrf_flags & VRF_FLAG.HBF_R_VALID ? v.vrf_hbfr_vif_idx : null}
}

export function vrftableLine(v: Vrf): string {
  const flags = flagLetters(v.vrf_flags, VRF_FLAGS)
  const {left, right} = hbs(v)
  return `${String(v.vrf_idx).padStart(5)}    ${flags.padStart(4)}    ${String(left ?? '-').padStart(7)}    ${String(right ?? '-').padStart(4)}\n`
}

export function vrftableJson(v: Vrf): {vrf: number; valid: boolean; hbs_left: number | null; hbs_right: number | null} {
  const {left, right} = hbs(v)
  return {vrf: v.vrf_idx, valid: (v.vrf_flags & VRF_FLAG.VALID) !== 0, hbs_left: left, hbs_right: right}
}

export const VRFTABLE_USAGE = `Usage:  vrftable --dump
        vrftable --get <index>
        vrftable --help

--dump  Dumps the vrf table
--get   Dumps the vrf entry corresponding to index <index>
--sock-dir  <netlink sock dir>
--help  Prints this help message
`

export const VRFTABLE_COMMAND_USAGE = `Usage:      vrftable --create <vrf_idx> --hbs-l <vif index> --hbs-r <vif idx>
            vrftable --delete <vrf_idx>

--create    Create a vrf entry for <vrf_idx> with hbs left and hbs right vif index
--delete    Delete the entry corresponding to <index>
`
