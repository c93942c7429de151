/** Independent readers of the capture files we write: the npm pcap-parser package, and tcpdump where installed. */
import {spawnSync} from 'node:child_process'
import pcapParser, {type PcapPacket} from 'pcap-parser'

export function pcapParserRead(path: string): Promise<{linkType: number; packets: PcapPacket[]}> {
  return new Promise((resolve, reject) => {
    const packets: PcapPacket[] = []
    let linkType = -1
    const parser = pcapParser.parse(path)
    parser.on('globalHeader', (h: {linkLayerType: number}) => (linkType = h.linkLayerType))
    parser.on('packet', (p: PcapPacket) => packets.push(p))
    parser.on('end', () => resolve({linkType, packets}))
    parser.on('error', reject)
  })
}

export const TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0

/** tcpdump -n -r: its lines without the timestamp, or undefined when tcpdump is not installed. */
export function tcpdumpRead(path: string): string[] {
  const r = spawnSync('tcpdump', ['-n', '-t', '-r', path], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`tcpdump -r ${path}: ${r.stderr}`)
  return r.stdout.split('\n').filter((l) => l !== '')
}
