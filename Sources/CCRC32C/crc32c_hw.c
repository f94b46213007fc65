#include "crc32c_hw.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <cpuid.h>

// CPUID leaf 1, ECX bit 20 (bit_SSE4_2): asked directly, so no runtime library is needed.
int caseload_crc32c_hw_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSE4_2) ? 1 : 0;
}

// Compiled for SSE4.2 on its own, so the rest of the program still runs on any x86-64.
__attribute__((target("sse4.2")))
uint32_t caseload_crc32c_hw_update(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8); // unaligned load, little-endian as the CRC wants
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n > 0) {
        c32 = __builtin_ia32_crc32qi(c32, *p);
        p++;
        n--;
    }
    return c32;
}

#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)

#include <arm_acle.h>

int caseload_crc32c_hw_available(void) { return 1; }

uint32_t caseload_crc32c_hw_update(uint32_t crc, const uint8_t *p, size_t n) {
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = __crc32cd(crc, word);
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        crc = __crc32cb(crc, *p);
        p++;
        n--;
    }
    return crc;
}

#else

int caseload_crc32c_hw_available(void) { return 0; }

uint32_t caseload_crc32c_hw_update(uint32_t crc, const uint8_t *p, size_t n) {
    (void)p;
    (void)n;
    return crc;
}

#endif
