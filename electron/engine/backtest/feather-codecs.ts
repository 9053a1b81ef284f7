import { zstdDecompressSync } from 'node:zlib';
import { compressionRegistry } from 'apache-arrow';

const LZ4_FRAME = 0;
const ZSTD = 1;
const LZ4_MAGIC = 0x184d2204;

function readLength(data: Uint8Array, at: number, base: number): [number, number] {
  let length = base;
  if (base !== 15) return [length, at];
  let byte: number;
  do {
    byte = data[at++]!;
    length += byte;
  } while (byte === 255);
  return [length, at];
}

/** Decodes one LZ4 block from `data[start, end)` onto `out`, whose earlier bytes later matches may reference. */
function decodeBlock(data: Uint8Array, start: number, end: number, out: number[]): void {
  let at = start;
  while (at < end) {
    const token = data[at++]!;
    let literals: number;
    [literals, at] = readLength(data, at, token >> 4);
    for (let i = 0; i < literals; i++) out.push(data[at++]!);
    if (at >= end) break;
    const offset = data[at]! | (data[at + 1]! << 8);
    at += 2;
    if (offset === 0 || offset > out.length) throw new Error('corrupt LZ4 block: bad match offset');
    let match: number;
    [match, at] = readLength(data, at, token & 15);
    const from = out.length - offset;
    for (let i = 0; i < match + 4; i++) out.push(out[from + i]!);
  }
}

/** Decodes an LZ4 frame (the compression freqtrade writes feather files with by default). */
export function decodeLz4Frame(data: Uint8Array): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteLength < 7 || view.getUint32(0, true) !== LZ4_MAGIC) throw new Error('not an LZ4 frame');
  const flags = data[4]!;
  const blockChecksum = (flags & 0x10) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  let at = 6 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0) + 1;
  const out: number[] = [];
  for (;;) {
    if (at + 4 > data.byteLength) throw new Error('truncated LZ4 frame');
    const size = view.getUint32(at, true);
    at += 4;
    if (size === 0) break;
    const length = size & 0x7fffffff;
    if (at + length > data.byteLength) throw new Error('truncated LZ4 block');
    if (size & 0x80000000) for (let i = 0; i < length; i++) out.push(data[at + i]!);
    else decodeBlock(data, at, at + length, out);
    at += length + (blockChecksum ? 4 : 0);
  }
  if (contentChecksum && at + 4 > data.byteLength) throw new Error('truncated LZ4 frame checksum');
  return Uint8Array.from(out);
}

let registered = false;

/** Lets apache-arrow read compressed feather files: LZ4 frames (freqtrade's default) and zstd. */
export function registerFeatherCodecs(): void {
  if (registered) return;
  registered = true;
  compressionRegistry.set(LZ4_FRAME, { decode: decodeLz4Frame });
  compressionRegistry.set(ZSTD, { decode: (data) => new Uint8Array(zstdDecompressSync(data)) });
}
