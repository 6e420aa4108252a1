/* platform.c: clock, platform name and lock for the Winsock layer (platform.h). */
#include "platform.h"

#include <stdio.h>

int64_t plat_clock_us(void *unused)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER now;
    (void)unused;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    return (int64_t)(now.QuadPart / freq.QuadPart * 1000000 + now.QuadPart % freq.QuadPart * 1000000 / freq.QuadPart);
}

const char *plat_wine_version(void)
{
    typedef const char *(CDECL * WineGetVersion)(void);
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    WineGetVersion get = ntdll ? (WineGetVersion)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
    return get ? get() : NULL;
}

void plat_os(char *buf, size_t size)
{
    /* GetVersionEx lies without a manifest; RtlGetVersion does not. */
    typedef LONG(WINAPI * RtlGetVersionFn)(OSVERSIONINFOW *);
    OSVERSIONINFOW vi = {sizeof vi, 0, 0, 0, 0, {0}};
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    RtlGetVersionFn fn = ntdll ? (RtlGetVersionFn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    if (fn && fn(&vi) == 0)
        snprintf(buf, size, "Windows %lu.%lu.%lu", vi.dwMajorVersion, vi.dwMinorVersion, vi.dwBuildNumber);
    else
        snprintf(buf, size, "Windows");
}

void plat_describe(char *buf, size_t size)
{
    const char *wine = plat_wine_version();
    if (wine)
        snprintf(buf, size, "Wine %s", wine);
    else
        plat_os(buf, size);
}

void plat_lock(void *cs) { EnterCriticalSection((CRITICAL_SECTION *)cs); }
void plat_unlock(void *cs) { LeaveCriticalSection((CRITICAL_SECTION *)cs); }

int plat_winsock_start(void)
{
    WSADATA wsa;
    return WSAStartup(MAKEWORD(2, 2), &wsa);
}
