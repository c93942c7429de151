/** `vxlan` output: the stock tool's text (TF utils/vxlan.c, byte for byte) and our JSON. */
import type {MessageFields} from '../sandesh/schema.js'

type Vxlan = Pick<MessageFields<'vr_vxlan_req'>, 'vxlanr_vnid' | 'vxlanr_nhid'>

export const VXLAN_HEADER = 'VXLAN Table\n\n VNID    NextHop\n----------------\n'

/** One entry: VNI right-aligned in 7 columns, four spaces, the next hop unpadded. */
export function vxlanLine(entry: Vxlan): string {
  return `${String(entry.vxlanr_vnid).padStart(7)}    ${entry.vxlanr_nhid}\n`
}

export function vxlanJson(entry: Vxlan): {vnid: number; nexthop: number} {
  return {vnid: entry.vxlanr_vnid, nexthop: entry.vxlanr_nhid}
}

export const VXLAN_USAGE = `Usage:  vxlan --dump
        vxlan --get <vnid>
        vxlan --help

--dump  Dumps the vxlan table
--get   Dumps the entry corresponding to <vnid>
--sock-dir <netlink sock dir>
--help  Prints this help message
`

export const VXLAN_COMMAND_USAGE = `Usage:      vxlan --create <vnid> --nh <nh index>
            vxlan --delete <vnid>

--create    Create an entry for <vnid> in the vxlan table
            with nexthop set to <nh index>
--delete    Delete the entry corresponding to <vnid>
`
