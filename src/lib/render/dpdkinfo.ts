/**
 * `dpdkinfo`: the forwarding plane formats the text (vr_info_req's vdu_proc_info, possibly over several replies)
 * and the tool prints it as a C string; what is ours is the usage text (TF utils/dpdkinfo.c, byte for byte, its
 * odd spacing and tabs included) and the JSON wrapping.
 */

/** The sections dpdkinfo and vrinfo can ask for, by vr_info_msg_en value (TF include/vr_info.h; INFO_START is 0). */
export const INFO_SECTIONS = {vrouter_version: 1, version: 2, bond: 3, lacp: 4, mempool: 5, stats: 6, xstats: 7, lcore: 8, app: 9, ddp: 10, link: 11} as const
export type InfoSection = keyof typeof INFO_SECTIONS

/** The bytes a C printf("%s") of this chunk writes: up to the first NUL. */
export function cString(bytes: readonly number[]): Uint8Array {
  const end = bytes.indexOf(0)
  return Uint8Array.from(end < 0 ? bytes : bytes.slice(0, end))
}

export function infoJson(section: InfoSection, text: string): {section: InfoSection; text: string} {
  return {section, text}
}

export const DPDKINFO_USAGE = [
  'Usage: dpdkinfo [--help]',
  `${' '.repeat(17)}--version|-v${' '.repeat(54)}Show DPDK Version`,
  `${' '.repeat(17)}--bond|-b${' '.repeat(57)}Show Master/Slave bond information`,
  `${' '.repeat(17)}--lacp|-l     <all/conf>${' '.repeat(42)}Show LACP information from DPDK`,
  `${' '.repeat(17)}--mempool|-m  <all/<mempool-name>>${' '.repeat(32)}Show Mempool information`,
  `${' '.repeat(17)}--stats|-n    <eth>${' '.repeat(47)}Show Stats information`,
  `${' '.repeat(17)}--xstats|-x   < =all/ =0(Master)/ =1(Slave(0))/ =2(Slave(1))>     Show Extended Stats information`,
  `${' '.repeat(17)}--lcore|-c${' '.repeat(56)}Show Lcore information`,
  `${' '.repeat(17)}--app|-a${' '.repeat(58)}Show App information`,
  `${' '.repeat(17)}--ddp|-d      <list>\t\t\t\t\t\t   Show DDP information for X710 NIC`,
  `       Optional: --buffsz      <value>${' '.repeat(45)}Send output buffer size (less than 1000Mb)`,
  '',
].join('\n')

/** vrinfo's usage, which names the program dpdkinfo (a stock slip, kept). */
export const VRINFO_USAGE = `Usage: dpdkinfo [--help]
                 --version|-v           Show version information
       Optional: --buffsz  <value>      Send output buffer size
`
