/**
 * Reading and writing structures in guest memory through their layouts (little-endian).
 *
 * Cold path: syscall arguments, not instructions. Scalars of at most 32 bits are numbers; 64-bit
 * and model-sized scalars (long, size_t, pointers) read as a number when exactly representable
 * (|v| < 2^53) and as a bigint otherwise, so nothing is silently rounded. Writes accept either:
 * a negative number stands for its two's complement, a value wider than the field is truncated
 * as a C assignment would. `__be16`/`__be32` fields are big-endian, as the kernel declares them.
 */

import {
  type ArrayType,
  type AnonymousMember,
  arrayLength,
  type DataModel,
  type FieldType,
  isSigned,
  layoutOf,
  type Narrow32Name,
  type PadType,
  type ScalarName,
  type ScalarType,
  type StructLayout,
  type StructType,
  scalarSize,
  sizeAlignOf,
} from './layout.js';

/** What a read yields for a member of type T. */
export type ValueOf<T> =
  T extends ScalarType<Narrow32Name>
    ? number
    : T extends ScalarType
      ? number | bigint
      : T extends ArrayType<infer E>
        ? E extends ScalarType<'u8' | 'i8'>
          ? Uint8Array
          : ValueOf<E>[]
        : T extends StructType<infer F>
          ? StructValues<F>
          : never;

/** What a write accepts for a member of type T. Byte arrays also take a string (UTF-8, NUL-padded). */
export type InputOf<T> = T extends ScalarType
  ? number | bigint
  : T extends ArrayType<infer E>
    ? E extends ScalarType<'u8' | 'i8'>
      ? Uint8Array | string | readonly number[]
      : readonly InputOf<E>[]
    : T extends StructType<infer F>
      ? StructInput<F>
      : never;

type Named<F> = { [K in keyof F as F[K] extends AnonymousMember | PadType ? never : K]: F[K] };
type Lifted<F> = {
  [K in keyof F]: F[K] extends AnonymousMember<StructType<infer G>> ? (x: StructValues<G>) => void : never;
}[keyof F];
type LiftedInput<F> = {
  [K in keyof F]: F[K] extends AnonymousMember<StructType<infer G>> ? (x: StructInput<G>) => void : never;
}[keyof F];
type Intersect<U> = [U] extends [never] ? unknown : U extends (x: infer I) => void ? I : never;

/** The record readStruct returns: one entry per named member (anonymous members lifted). */
export type StructValues<F> = { -readonly [K in keyof Named<F>]: ValueOf<Named<F>[K]> } & Intersect<Lifted<F>>;
/** The record writeStruct takes: any subset of the members; the rest is written as zeros. */
export type StructInput<F> = { readonly [K in keyof Named<F>]?: InputOf<Named<F>[K]> } & Intersect<LiftedInput<F>>;

/** Read a whole structure at `offset`. */
export function readStruct<F>(layout: StructLayout<F>, view: DataView, offset: number): StructValues<F> {
  checkBounds(layout, view, offset);
  const out: Record<string, unknown> = {};
  for (const field of Object.values(layout.fields)) {
    out[field.name] = readType(field.type, view, offset + field.offset, layout.model);
  }
  return out as StructValues<F>;
}

/**
 * Write a structure at `offset`: the whole extent (padding included) is zeroed first, so
 * unspecified members are 0 and no stale bytes reach the guest; then the given members are stored.
 */
export function writeStruct<F>(layout: StructLayout<F>, view: DataView, offset: number, values: StructInput<F>): void {
  checkBounds(layout, view, offset);
  new Uint8Array(view.buffer, view.byteOffset + offset, layout.size).fill(0);
  writeMembers(layout, view, offset, values as Readonly<Record<string, unknown>>);
}

/** A fresh byte image of a structure. */
export function structBytes<F>(layout: StructLayout<F>, values: StructInput<F>): Uint8Array {
  const bytes = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(bytes.buffer), 0, values);
  return bytes;
}

/** Read one scalar member (e.g. only `tv_sec`) without building the whole record. */
export function readField<F>(
  layout: StructLayout<F>,
  view: DataView,
  offset: number,
  name: keyof Named<F> & string,
): number | bigint {
  const field = layout.fields[name];
  if (field === undefined || field.type.kind !== 'scalar') throw new Error(`${layout.name}.${name} is not a scalar`);
  return readScalar(field.type.name, view, offset + field.offset, layout.model);
}

/** Store one scalar member, leaving the rest of the structure as it is. */
export function writeField<F>(
  layout: StructLayout<F>,
  view: DataView,
  offset: number,
  name: keyof Named<F> & string,
  value: number | bigint,
): void {
  const field = layout.fields[name];
  if (field === undefined || field.type.kind !== 'scalar') throw new Error(`${layout.name}.${name} is not a scalar`);
  writeScalar(field.type.name, view, offset + field.offset, layout.model, value, `${layout.name}.${name}`);
}

function checkBounds(layout: StructLayout<unknown>, view: DataView, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + layout.size > view.byteLength) {
    throw new RangeError(`${layout.name}: ${layout.size} bytes at ${offset} exceed a ${view.byteLength}-byte view`);
  }
}

const TWO_32 = 4294967296;
/** |hi| below this keeps hi * 2^32 + lo within Number.MAX_SAFE_INTEGER. */
const SAFE_HI = 0x200000;

function readScalar(name: ScalarName, view: DataView, at: number, model: DataModel): number | bigint {
  switch (name) {
    case 'u8':
      return view.getUint8(at);
    case 'i8':
      return view.getInt8(at);
    case 'u16':
      return view.getUint16(at, true);
    case 'i16':
      return view.getInt16(at, true);
    case 'be16':
      return view.getUint16(at, false);
    case 'u32':
      return view.getUint32(at, true);
    case 'i32':
      return view.getInt32(at, true);
    case 'be32':
      return view.getUint32(at, false);
    default: {
      const signed = isSigned(name);
      if (scalarSize(name, model) === 4) return signed ? view.getInt32(at, true) : view.getUint32(at, true);
      const lo = view.getUint32(at, true);
      const hi = signed ? view.getInt32(at + 4, true) : view.getUint32(at + 4, true);
      if (hi < SAFE_HI && hi > -SAFE_HI) return hi * TWO_32 + lo;
      return signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true);
    }
  }
}

function writeScalar(
  name: ScalarName,
  view: DataView,
  at: number,
  model: DataModel,
  value: number | bigint,
  what: string,
): void {
  const size = scalarSize(name, model);
  if (typeof value === 'bigint') {
    if (size === 8) {
      view.setBigUint64(at, BigInt.asUintN(64, value), true);
      return;
    }
    value = Number(BigInt.asUintN(size * 8, value));
  } else if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${what}: ${value} is not an exactly representable integer`);
  }
  // DataView's setters reduce modulo 2^bits, which is C's conversion to an unsigned type.
  switch (size) {
    case 1:
      view.setUint8(at, value);
      return;
    case 2:
      view.setUint16(at, value, name !== 'be16');
      return;
    case 4:
      view.setUint32(at, value, name !== 'be32');
      return;
    default:
      view.setUint32(at, value, true);
      view.setUint32(at + 4, Math.floor(value / TWO_32), true);
  }
}

function readType(type: FieldType, view: DataView, at: number, model: DataModel): unknown {
  switch (type.kind) {
    case 'scalar':
      return readScalar(type.name, view, at, model);
    case 'array': {
      const n = arrayLength(type, model);
      const element = type.element;
      if (element.kind === 'scalar' && (element.name === 'u8' || element.name === 'i8')) {
        // char arrays (utsname, sun_path, d_name) come back as bytes whatever their signedness.
        return new Uint8Array(view.buffer, view.byteOffset + at, n).slice();
      }
      const stride = sizeAlignOf(element, model).size;
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readType(element, view, at + i * stride, model);
      return out;
    }
    case 'struct':
      return readStruct(layoutOf(type, model), view, at);
    case 'pad':
      return undefined;
  }
}

function writeMembers(
  layout: StructLayout<unknown>,
  view: DataView,
  at: number,
  values: Readonly<Record<string, unknown>>,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const field = layout.fields[name];
    if (field === undefined) throw new Error(`${layout.name} has no member ${name}`);
    writeType(field.type, view, at + field.offset, layout.model, value, `${layout.name}.${name}`);
  }
}

function writeType(type: FieldType, view: DataView, at: number, model: DataModel, value: unknown, what: string): void {
  switch (type.kind) {
    case 'scalar':
      if (typeof value !== 'number' && typeof value !== 'bigint') throw new TypeError(`${what}: expected an integer`);
      writeScalar(type.name, view, at, model, value, what);
      return;
    case 'array': {
      const n = arrayLength(type, model);
      const element = type.element;
      if (element.kind === 'scalar' && (element.name === 'u8' || element.name === 'i8') && !Array.isArray(value)) {
        const bytes = typeof value === 'string' ? utf8(value) : value;
        if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what}: expected bytes`);
        if (bytes.length > n) throw new RangeError(`${what}: ${bytes.length} bytes exceed char[${n}]`);
        new Uint8Array(view.buffer, view.byteOffset + at, bytes.length).set(bytes);
        return;
      }
      if (!Array.isArray(value)) throw new TypeError(`${what}: expected an array`);
      if (value.length > n) throw new RangeError(`${what}: ${value.length} elements exceed [${n}]`);
      const stride = sizeAlignOf(element, model).size;
      for (let i = 0; i < value.length; i++) {
        writeType(element, view, at + i * stride, model, value[i], `${what}[${i}]`);
      }
      return;
    }
    case 'struct':
      if (typeof value !== 'object' || value === null) throw new TypeError(`${what}: expected a record`);
      writeMembers(layoutOf(type, model), view, at, value as Readonly<Record<string, unknown>>);
      return;
    case 'pad':
      return;
  }
}

/** UTF-8 bytes of a string (char arrays: utsname fields, sun_path). */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}
