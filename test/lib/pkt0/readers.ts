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

/** tcpdump -xx -r: the bytes of every record, as tcpdump dumps them. */
export function tcpdumpBytes(path: string): Uint8Array[] {
  const r = spawnSync('tcpdump', ['-n', '-t', '-xx', '-r', path], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`tcpdump -xx -r ${path}: ${r.stderr}`)
  const records: string[] = []
  for (const line of r.stdout.split('\n')) {
    const m = line.match(/^\s+0x([0-9a-f]{4}):\s+([0-9a-f ]+)$/)
    if (!m) continue
    if (m[1] === '0000') records.push('')
    records[records.length - 1] += m[2].replace(/ /g, '')
  }
  return records.map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')))
}
