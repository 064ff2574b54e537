/**
 * The safetensors file format, written and read here (pure, on bytes):
 *
 * ```
 * bytes 0..8     N, the header's length: an unsigned 64-bit little-endian integer
 * bytes 8..8+N   the header: UTF-8 JSON, padded with spaces to a multiple of 8 bytes
 *                { "<tensor name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, ...,
 *                  "__metadata__": { "<key>": "<string>", ... } }
 * bytes 8+N..    the tensors' raw little-endian bytes; offsets count from here, in header order
 * ```
 *
 * It is what Hugging Face's `safetensors` reads (`safetensors.numpy.load_file`, `torch`), so a
 * checkpoint's weights open in Python with no ludus code. Only F32 (and I32) tensors are written.
 * @module
 */
import { LmError } from './errors.js';

export type SafetensorsDtype = 'F32' | 'I32';

export interface SafeTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, I32: 4 };
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function littleEndian(): boolean {
  return new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
}

/** The file's bytes. Names must be distinct and not `__metadata__`; metadata values are strings. */
export function encodeSafetensors(tensors: readonly SafeTensor[], metadata: Record<string, string> = {}): Uint8Array {
  if (!littleEndian()) throw new LmError('LM_CHECKPOINT_INVALID', 'Writing safetensors needs a little-endian machine.');
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new LmError('LM_CHECKPOINT_INVALID', `Tensor name '${t.name}' is reserved or repeated.`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new LmError('LM_CHECKPOINT_INVALID', `Tensor '${t.name}' has shape [${t.shape}] (${count} values) but ${t.data.length} values.`);
    const bytes = count * BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const rawLength = encoder.encode(json).length;
  json += ' '.repeat((8 - (rawLength % 8)) % 8);
  const head = encoder.encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Reads a safetensors file; refuses a truncated or malformed one, naming what is wrong. */
export function decodeSafetensors(bytes: Uint8Array, where = 'the safetensors file'): { tensors: SafeTensor[]; metadata: Record<string, string> } {
  const bad = (why: string) => new LmError('LM_CHECKPOINT_INVALID', `${where} is not a valid safetensors file: ${why}. The checkpoint is damaged; restore it or use another one.`);
  if (bytes.length < 8) throw bad('it is shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) throw bad(`its header says ${n} bytes but the file has ${bytes.length - 8} after the length`);
  let header: Record<string, { dtype?: string; shape?: number[]; data_offsets?: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + n))) as typeof header;
  } catch (err) {
    throw bad(`the header is not JSON (${(err as Error).message})`);
  }
  const dataStart = 8 + n;
  const dataBytes = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors: SafeTensor[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (e.dtype !== 'F32' && e.dtype !== 'I32') throw bad(`tensor '${name}' has dtype ${String(e.dtype)} (this reader takes F32 and I32)`);
    const [begin, end] = e.data_offsets ?? [-1, -1];
    const count = (e.shape ?? []).reduce((a, b) => a * b, 1);
    if (!Array.isArray(e.shape) || !(begin >= 0) || end > dataBytes || end - begin !== count * 4) throw bad(`tensor '${name}' has offsets [${begin}, ${end}] that do not fit its shape [${e.shape}] or the ${dataBytes} data bytes`);
    const copy = new Uint8Array(end - begin); // a copy of its own (a Buffer's slice is a view into a shared pool)
    copy.set(bytes.subarray(dataStart + begin, dataStart + end));
    const data = e.dtype === 'F32' ? new Float32Array(copy.buffer, 0, count) : new Int32Array(copy.buffer, 0, count);
    tensors.push({ name, dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}
