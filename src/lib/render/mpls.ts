/** `mpls` output: the stock tool's text (byte for byte) and our JSON, from one description of an entry. */
import type {MessageFields} from '../sandesh/schema.js'

type Mpls = Pick<MessageFields<'vr_mpls_req'>, 'mr_label' | 'mr_nhid'>

/** Printed before connecting, by --dump and --get. */
export const MPLS_HEADER = 'MPLS Input Label Map\n\n   Label    NextHop\n-------------------\n'

const pad = (n: number, width: number) => String(n).padStart(width)

/** One entry: label right-aligned in 8 columns, four spaces, next hop right-aligned in 6. */
export function mplsLine(entry: Mpls): string {
  return `${pad(entry.mr_label, 8)}    ${pad(entry.mr_nhid, 6)}\n`
}

export function mplsJson(entry: Mpls): {label: number; nexthop: number} {
  return {label: entry.mr_label, nexthop: entry.mr_nhid}
}

export const MPLS_USAGE = `Usage:  mpls --dump
        mpls --get <label>
        mpls --help

--dump  Dumps the mpls incoming label map
--get   Dumps the entry corresponding to label <label>
        in the label map
--sock-dir <netlink sock dir>
--help  Prints this help message
`

export const MPLS_COMMAND_USAGE = `Usage:      mpls --create <label> --nh <nh index>
            mpls --delete <label>

--create    Create an entry for <label> in incoming label map
            with nexthop set to <nh index>
--delete    Delete the entry corresponding to <label>
`
