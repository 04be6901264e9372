/*
 * Prints structure layouts from the real headers as golden data for compat64's layout engine
 * (src/kernel/abi/). Each line is "name size" or "name.member offset", where name is the
 * TypeScript declaration (test/kernel/abi/layout-golden.test.ts resolves it): the C type printed
 * under a name may be the arch's own spelling (ARM's `struct stat64`, arm64's `struct stat`).
 * Build for aarch64 and armhf with the Makefile; each translation unit keeps one family of
 * headers apart from the others (uapi, glibc and the kernel's own headers clash).
 */
#ifndef LAYOUTS_H
#define LAYOUTS_H

#include <stddef.h>

void emit(const char *name, unsigned long value);

#define SIZE(name, type) emit(#name, sizeof(type))
/* Member at the same designator in C and in the TypeScript declaration. */
#define OFF(name, type, member) emit(#name "." #member, offsetof(type, member))
/* Member whose C designator differs (anonymous unions, arch spellings). */
#define OFF_AS(name, member, type, cmember) emit(#name "." #member, offsetof(type, cmember))

void layouts_uapi_fs(void);
void layouts_uapi_misc(void);
void layouts_signal(void);
void layouts_libc(void);
void layouts_mirror(void);

#endif
