// The few parts of the npm `thrift` package (no bundled types) that the codec oracle uses.
declare module 'thrift' {
  export class TBufferedTransport {
    constructor(buffer?: Buffer, callback?: (buf: Buffer) => void)
    inBuf: Buffer
    readCursor: number
    writeCursor: number
    write(buf: Buffer): void
    read(len: number): Buffer
  }
  export class TBinaryProtocol {
    constructor(trans: TBufferedTransport)
    trans: TBufferedTransport
    flush(): void
    writeFieldBegin(name: string, type: number, id: number): void
    writeFieldStop(): void
    writeListBegin(etype: number, size: number): void
    writeByte(b: number): void
    writeI16(v: number): void
    writeI32(v: number): void
    writeI64(v: number | Int64): void
    writeBinary(v: Buffer): void
    readFieldBegin(): {ftype: number; fid: number}
    readListBegin(): {etype: number; size: number}
    readByte(): number
    readI16(): number
    readI32(): number
    readI64(): Int64
    readBinary(): Buffer
    skip(type: number, depth?: number): void
  }
  export class Int64 {
    constructor(buffer: Buffer)
    buffer: Buffer
    offset: number
  }
}
