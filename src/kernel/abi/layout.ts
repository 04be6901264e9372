/**
 * C structure layouts as data.
 *
 * Each kernel structure is declared once as an ordered list of typed fields; `layoutOf` applies C's
 * layout rules for a data model and gives offsets, sizes and alignment. The two models compat64 needs:
 * - LP64 (arm64): long, pointers and size_t are 8 bytes.
 * - ILP32_EABI (ARM EABI, what a compat task sees): long, pointers and size_t are 4 bytes, while
 *   64-bit members keep 8-byte alignment (unlike i386, and unlike the old ARM OABI).
 * Both are little-endian. The rules (GCC's, identical on AAPCS and AAPCS64 for what the kernel
 * uses): a member is placed at the next multiple of its alignment, a struct's alignment is the
 * largest member alignment (raised by an explicit `aligned`), its size is rounded up to that
 * alignment; `packed` makes every member 1-aligned; a union's members all sit at offset 0.
 */

/** A C data model: the widths the ABI decides. */
export interface DataModel {
  readonly name: 'LP64' | 'ILP32_EABI';
  /** sizeof(long) == sizeof(size_t) (and their alignment). */
  readonly longSize: 4 | 8;
  /** sizeof(void *) (and its alignment). */
  readonly ptrSize: 4 | 8;
  /** Alignment of `long long` / `__u64` members. */
  readonly int64Align: 4 | 8;
}

export const LP64: DataModel = Object.freeze({ name: 'LP64', longSize: 8, ptrSize: 8, int64Align: 8 });
export const ILP32_EABI: DataModel = Object.freeze({ name: 'ILP32_EABI', longSize: 4, ptrSize: 4, int64Align: 8 });

/** Scalars whose width never depends on the model and is at most 32 bits (they always read as numbers). */
export type Narrow32Name = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'be16' | 'be32';
/** Scalars that may be 64 bits wide (fixed 64-bit types, and the model-sized ones). */
export type WideName = 'u64' | 'i64' | 'long' | 'ulong' | 'ptr' | 'size_t' | 'ssize_t';
export type ScalarName = Narrow32Name | WideName;

export interface ScalarType<N extends ScalarName = ScalarName> {
  readonly kind: 'scalar';
  readonly name: N;
}

/** A fixed array; the length may depend on the model (e.g. sysinfo's `_f[20-2*sizeof(long)-sizeof(int)]`). Length 0 is a flexible array member. */
export interface ArrayType<E extends FieldType = FieldType> {
  readonly kind: 'array';
  readonly element: E;
  readonly length: number | ((model: DataModel) => number);
}

/** Unnamed bytes the header spells out (`int :32`, reserved tails). 1-aligned; never read, written as zeros. */
export interface PadType {
  readonly kind: 'pad';
  readonly bytes: number;
}

/** Field declarations of a struct or union, in declaration order (JS keeps string-key order). */
export type FieldSpecs = { readonly [name: string]: FieldSpec };
export type FieldSpec = FieldType | AnonymousMember;
export type FieldType = ScalarType | ArrayType | PadType | StructType;

export interface StructOptions {
  /** `__attribute__((packed))`: every member 1-aligned. */
  readonly packed?: boolean;
  /** `__attribute__((aligned(n)))`: minimum alignment of the whole struct. */
  readonly align?: number;
}

export interface StructType<F = FieldSpecs> {
  readonly kind: 'struct';
  /** The C name, e.g. `stat64`, `__kernel_timespec`. */
  readonly name: string;
  readonly isUnion: boolean;
  readonly packed: boolean;
  readonly minAlign: number;
  /** The declaration as written. */
  readonly spec: F;
}

/** A C11 anonymous struct/union member: its fields are named as if they were the parent's. */
export interface AnonymousMember<S extends StructType<unknown> = StructType> {
  readonly kind: 'anonymous';
  readonly type: S;
}

function scalar<N extends ScalarName>(name: N): ScalarType<N> {
  return Object.freeze({ kind: 'scalar', name });
}

export const u8 = scalar('u8');
export const i8 = scalar('i8');
export const u16 = scalar('u16');
export const i16 = scalar('i16');
export const u32 = scalar('u32');
export const i32 = scalar('i32');
export const u64 = scalar('u64');
export const i64 = scalar('i64');
export const long = scalar('long');
export const ulong = scalar('ulong');
export const ptr = scalar('ptr');
export const size_t = scalar('size_t');
export const ssize_t = scalar('ssize_t');
/** `__be16` / `__be32`: network byte order (sin_port, s_addr). */
export const be16 = scalar('be16');
export const be32 = scalar('be32');

export function array<E extends FieldType>(element: E, length: number | ((model: DataModel) => number)): ArrayType<E> {
  if (typeof length === 'number') checkLength(length, 'array');
  return Object.freeze({ kind: 'array', element, length });
}

export function pad(bytes: number): PadType {
  checkLength(bytes, 'pad');
  return Object.freeze({ kind: 'pad', bytes });
}

export function anon<S extends StructType<unknown>>(type: S): AnonymousMember<S> {
  return Object.freeze({ kind: 'anonymous', type });
}

export function defineStruct<F extends FieldSpecs>(
  name: string,
  fields: F,
  options: StructOptions = {},
): StructType<F> {
  return declare(name, false, fields, options);
}

export function defineUnion<F extends FieldSpecs>(name: string, fields: F, options: StructOptions = {}): StructType<F> {
  return declare(name, true, fields, options);
}

function declare<F extends FieldSpecs>(name: string, isUnion: boolean, spec: F, options: StructOptions): StructType<F> {
  const minAlign = options.align ?? 1;
  if (!Number.isInteger(minAlign) || minAlign < 1 || (minAlign & (minAlign - 1)) !== 0) {
    throw new RangeError(`${name}: alignment ${minAlign} is not a power of two`);
  }
  const type: StructType<F> = Object.freeze({
    kind: 'struct',
    name,
    isUnion,
    packed: options.packed ?? false,
    minAlign,
    spec: Object.freeze({ ...spec }),
  });
  // Laid out on first use, not here (every declaration laid out at load was ~2 ms of each start;
  // test/kernel/abi/layout-golden.test.ts lays out every exported one). Names are checked now:
  // only anonymous members can bring a duplicate.
  if (Object.values(spec).some((s) => s.kind === 'anonymous')) memberNames(name, type, new Set());
  return type;
}

/** Adds the names a layout of struct would have to seen; throws on a duplicate, as computeLayout would. */
function memberNames(owner: string, struct: StructType<unknown>, seen: Set<string>): void {
  for (const [name, spec] of Object.entries(struct.spec as FieldSpecs)) {
    if (spec.kind === 'anonymous') memberNames(owner, spec.type, seen);
    else if (spec.kind !== 'pad') {
      if (seen.has(name)) throw new Error(`${owner}: duplicate member ${name}`);
      seen.add(name);
    }
  }
}

function checkLength(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} length ${n} is not a non-negative integer`);
}

export interface FieldLayout {
  readonly name: string;
  /** Byte offset from the start of the outermost structure being laid out. */
  readonly offset: number;
  readonly size: number;
  readonly align: number;
  readonly type: FieldType;
}

export interface StructLayout<F = FieldSpecs> {
  readonly name: string;
  readonly model: DataModel;
  readonly size: number;
  readonly align: number;
  readonly struct: StructType<F>;
  /**
   * Named members in declaration order, members of anonymous structs/unions lifted in place;
   * pad members are absent. Offsets are from the start of this struct.
   */
  readonly fields: Readonly<Record<string, FieldLayout>>;
}

/** The struct type of a layout; handy in signatures (`LayoutOf<typeof stat>`). */
export type LayoutOf<S extends StructType> = S extends StructType<infer F> ? StructLayout<F> : never;

const cache = new WeakMap<StructType<unknown>, Map<DataModel, StructLayout<unknown>>>();

/** The layout of `struct` under `model`; computed once per (struct, model). */
export function layoutOf<F>(struct: StructType<F>, model: DataModel): StructLayout<F> {
  let perModel = cache.get(struct);
  if (perModel === undefined) {
    perModel = new Map();
    cache.set(struct, perModel);
  }
  let layout = perModel.get(model);
  if (layout === undefined) {
    layout = computeLayout(struct, model);
    perModel.set(model, layout);
  }
  return layout as StructLayout<F>;
}

/** sizeof and alignof a field type under a model. */
export function sizeAlignOf(type: FieldType, model: DataModel): { size: number; align: number } {
  switch (type.kind) {
    case 'scalar': {
      const size = scalarSize(type.name, model);
      return { size, align: size === 8 && !isModelSized(type.name) ? model.int64Align : size };
    }
    case 'array': {
      const element = sizeAlignOf(type.element, model);
      return { size: element.size * arrayLength(type, model), align: element.align };
    }
    case 'pad':
      return { size: type.bytes, align: 1 };
    case 'struct': {
      const layout = layoutOf(type, model);
      return { size: layout.size, align: layout.align };
    }
  }
}

export function scalarSize(name: ScalarName, model: DataModel): number {
  switch (name) {
    case 'u8':
    case 'i8':
      return 1;
    case 'u16':
    case 'i16':
    case 'be16':
      return 2;
    case 'u32':
    case 'i32':
    case 'be32':
      return 4;
    case 'u64':
    case 'i64':
      return 8;
    case 'long':
    case 'ulong':
    case 'size_t':
    case 'ssize_t':
      return model.longSize;
    case 'ptr':
      return model.ptrSize;
  }
}

/** Whether a scalar is signed (sign-extends when read). */
export function isSigned(name: ScalarName): boolean {
  return name === 'i8' || name === 'i16' || name === 'i32' || name === 'i64' || name === 'long' || name === 'ssize_t';
}

function isModelSized(name: ScalarName): boolean {
  return name === 'long' || name === 'ulong' || name === 'ptr' || name === 'size_t' || name === 'ssize_t';
}

export function arrayLength(type: ArrayType, model: DataModel): number {
  const n = typeof type.length === 'number' ? type.length : type.length(model);
  checkLength(n, 'array');
  return n;
}

function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

function computeLayout<F>(struct: StructType<F>, model: DataModel): StructLayout<F> {
  const fields: Record<string, FieldLayout> = {};
  let end = 0;
  let align = struct.minAlign;
  for (const [name, spec] of Object.entries(struct.spec as FieldSpecs)) {
    const type = spec.kind === 'anonymous' ? spec.type : spec;
    const natural = sizeAlignOf(type, model);
    const memberAlign = struct.packed ? 1 : natural.align;
    const offset = struct.isUnion ? 0 : roundUp(end, memberAlign);
    end = Math.max(end, offset + natural.size);
    align = Math.max(align, memberAlign);
    if (spec.kind === 'anonymous') {
      for (const inner of Object.values(layoutOf(spec.type, model).fields)) {
        addField(struct.name, fields, { ...inner, offset: offset + inner.offset });
      }
    } else if (spec.kind !== 'pad') {
      addField(struct.name, fields, { name, offset, size: natural.size, align: memberAlign, type: spec });
    }
  }
  return Object.freeze({
    name: struct.name,
    model,
    size: roundUp(end, align),
    align,
    struct,
    fields: Object.freeze(fields),
  });
}

function addField(structName: string, fields: Record<string, FieldLayout>, field: FieldLayout): void {
  if (Object.hasOwn(fields, field.name)) throw new Error(`${structName}: duplicate member ${field.name}`);
  fields[field.name] = Object.freeze(field);
}

/**
 * Locate a member by a C-style designator relative to the layout's start: `st_size`,
 * `_sifields._sigchld._utime`, `loads[2]`, `it_value.tv_nsec`.
 */
export function offsetOf(layout: StructLayout<unknown>, path: string): FieldLayout {
  const model = layout.model;
  let current: StructLayout<unknown> | undefined = layout;
  let found: FieldLayout | undefined;
  let base = 0;
  for (const part of path.split('.')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null || current === undefined) throw new Error(`${layout.name}: bad member designator ${path}`);
    const field: FieldLayout | undefined = current.fields[match[1]!];
    if (field === undefined) throw new Error(`${layout.name}: no member ${path}`);
    let type: FieldType = field.type;
    let offset = base + field.offset;
    let size = field.size;
    let align = field.align;
    for (const index of match[2]!.match(/\d+/g) ?? []) {
      if (type.kind !== 'array') throw new Error(`${layout.name}: ${path} indexes a non-array`);
      const i = Number(index);
      if (i >= arrayLength(type, model)) throw new Error(`${layout.name}: ${path} index out of range`);
      type = type.element;
      ({ size, align } = sizeAlignOf(type, model));
      offset += i * size;
    }
    found = { name: path, offset, size, align, type };
    base = offset;
    current = type.kind === 'struct' ? layoutOf(type, model) : undefined;
  }
  return found!;
}
