/*
 * TEST ONLY - never ship this DLL, never put it in the kit or the installer.
 *
 * Wine 8.0 has no bcryptprimitives.dll, and the Rust code in the `cryptography` wheel imports
 * ProcessPrng from it (Windows 10 and 11 have it). This stand-in lets wine_smoke.sh import
 * cryptography under Wine. ProcessPrng fills a buffer with random bytes and returns TRUE;
 * here RtlGenRandom (exported by advapi32 as SystemFunction036) does the work.
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -shared -s -o bcryptprimitives.dll bcryptprimitives.c
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}
