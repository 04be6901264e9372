/**
 * A tracer's access to a tracee's memory (Linux's ptrace_access_vm → access_remote_vm with FOLL_FORCE):
 * what PEEKTEXT/POKETEXT and PEEKSIGINFO-style requests use.
 *
 * FOLL_FORCE lets a debugger write where the tracee itself may not — a breakpoint into read-only,
 * executable text. Linux allows it only for copy-on-write mappings (private ones): the page is
 * copied (or written in place when the mapping already owns it alone) and stays read-only in the
 * tracee, so the file and other processes never see the change. A shared mapping without write
 * permission refuses, as does memory that is not mapped. Decoded instructions of the written frame
 * are invalidated so the tracee executes the new bytes.
 *
 * Copies go page by page, as access_remote_vm does: a fault stops the copy, and the bytes before it
 * have been moved (the caller turns a short count into -EIO).
 */
import { Access, isGuestFault } from '../../../memory/guest-fault.js';
import { PROT_WRITE } from '../../abi/mman.js';
import { type MemoryMap, newAnonId, pteBits } from '../../mm/memory-map.js';
import { isShared } from '../../mm/vma.js';

const PAGE = 4096;

function guarded(f: () => void): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (isGuestFault(e)) return false;
    throw e;
  }
}

/** Reads len bytes of the tracee's memory at addr into dst; returns how many were read before a fault. */
export function readTraceeMemory(mm: MemoryMap, addr: number, dst: Uint8Array, len = dst.length): number {
  let done = 0;
  while (done < len) {
    const a = addr + done;
    const n = Math.min(len - done, PAGE - (a % PAGE));
    if (!guarded(() => mm.as.readBytes(a, dst, done, n))) break;
    done += n;
  }
  return done;
}

/** Writes src into the tracee's memory at addr with FOLL_FORCE; returns how many bytes were written before a fault. */
export function writeTraceeMemory(mm: MemoryMap, addr: number, src: Uint8Array, len = src.length): number {
  let done = 0;
  while (done < len) {
    const a = addr + done;
    const n = Math.min(len - done, PAGE - (a % PAGE));
    if (!writeWithinPage(mm, a, src, done, n)) break;
    done += n;
  }
  return done;
}

/** One write that stays inside a page. */
function writeWithinPage(mm: MemoryMap, addr: number, src: Uint8Array, at: number, n: number): boolean {
  const as = mm.as;
  const vpn = Math.floor(addr / PAGE);
  const v = mm.find(vpn);
  // Writable (or not mapped: the stack may grow): the tracee's own write fault does the work.
  if (v === undefined || (v.prot & PROT_WRITE) !== 0) return guarded(() => as.writeBytes(addr, src, at, n));
  // FOLL_FORCE on a mapping without write permission: only a copy-on-write (private) one.
  if (isShared(v)) return false;
  if (!guarded(() => as.translate(addr, Access.Read))) return false;
  const e = as.pte(vpn);
  if (e < 0) return false;
  const phys = as.phys;
  let frame = Math.floor(e / 8);
  if (frame === 0 || phys.refCount(frame) !== 1) {
    const nf = phys.alloc();
    if (nf < 0) return false;
    if (frame !== 0) phys.copyFrame(nf, frame);
    if (v.anon === 0) v.anon = newAnonId();
    // The copy stays read-only in the tracee, as the COW page Linux's FOLL_FORCE breaks to.
    as.setPte(vpn, nf, pteBits(v.prot, false));
    frame = nf;
  }
  const off = addr - vpn * PAGE;
  const base = frame * PAGE;
  phys.u8.set(src.subarray(at, at + n), base + off);
  phys.codeCache(frame)?.invalidate(off, off + n);
  return true;
}
