// CRC32C (Castagnoli) with the processor's own instruction: SSE4.2 `crc32` on x86-64,
// the CRC extension on 64-bit ARM. Swift has no intrinsic for it, so this is the one
// place it lives; CaseloadJournal's CRC32C picks it at run time, else its tables.
#ifndef CASELOAD_CRC32C_HW_H
#define CASELOAD_CRC32C_HW_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this processor has the instruction (asked once, at run time), else 0.
int caseload_crc32c_hw_available(void);

/// Carries the running (not inverted) CRC `crc` over `n` bytes at `p`; call only when
/// `caseload_crc32c_hw_available()` said 1.
uint32_t caseload_crc32c_hw_update(uint32_t crc, const uint8_t *p, size_t n);

#endif
