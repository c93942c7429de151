// The part of the npm `pcap-parser` package (no bundled types) that the tests use as an independent pcap reader.
declare module 'pcap-parser' {
  import type {EventEmitter} from 'node:events'
  import type {Readable} from 'node:stream'
  export interface PcapPacket {
    header: {timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number}
    data: Buffer
  }
  export function parse(input: string | Readable): EventEmitter
}
