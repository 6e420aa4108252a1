/* platform.c: clock, platform name and lock for the Winsock layer (platform.h). */
#include "platform.h"

#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int64_t plat_wall_ns(void *unused)
{
    FILETIME ft;
    (void)unused;
    GetSystemTimePreciseAsFileTime(&ft); /* 100 ns units since 1601 */
    return (((int64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime) - 116444736000000000LL) * 100;
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

HWND plat_message_window(WNDPROC proc, const wchar_t *name, void *param)
{
    WNDCLASSEXW wc;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = name;
    if (!RegisterClassExW(&wc) && GetLastError() != ERROR_CLASS_ALREADY_EXISTS)
        return NULL;
    return CreateWindowExW(0, name, name, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, param);
}

void plat_addr_text(const struct sockaddr_in *a, char *buf, size_t size)
{
    uint32_t h = ntohl(a->sin_addr.s_addr);
    snprintf(buf, size, "%u.%u.%u.%u:%u", (unsigned)(h >> 24), (unsigned)(h >> 16 & 255), (unsigned)(h >> 8 & 255),
             (unsigned)(h & 255), (unsigned)ntohs(a->sin_port));
}

/* The address's text in s (UTF-8, 300 bytes), its port checked (min_port..65535) into
 * *port, and its host, cut at the last colon: NULL when there is none (PORT alone, or
 * ":PORT"). PLAT_ADDR_OK or PLAT_ADDR_PORT. */
static int addr_split(const wchar_t *w, int min_port, char *s, char **host, long *port)
{
    char *colon, *end;
    if (!WideCharToMultiByte(CP_UTF8, 0, w, -1, s, 300, NULL, NULL))
        s[0] = '\0'; /* too long: no port can be read either */
    if ((colon = strrchr(s, ':')) != NULL)
        *colon = '\0';
    *port = strtol(colon ? colon + 1 : s, &end, 10);
    if (*end || end == (colon ? colon + 1 : s) || *port < min_port || *port > 65535)
        return PLAT_ADDR_PORT;
    *host = colon && s[0] ? s : NULL;
    return PLAT_ADDR_OK;
}

int plat_addr_names_host(const wchar_t *w, int min_port)
{
    char s[300], *host;
    long port;
    struct in_addr ip;
    return addr_split(w, min_port, s, &host, &port) == PLAT_ADDR_OK && host && inet_pton(AF_INET, host, &ip) != 1;
}

int plat_parse_addr(const wchar_t *w, int listening, int min_port, struct sockaddr_in *out, char *host,
                    size_t hostsize, int *gai)
{
    char s[300], *name;
    long port;
    struct addrinfo hints, *res = NULL;
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    *gai = 0;
    snprintf(host, hostsize, "%s", "");
    if (addr_split(w, min_port, s, &name, &port) != PLAT_ADDR_OK)
        return PLAT_ADDR_PORT;
    out->sin_port = htons((unsigned short)port);
    if (!name) {
        if (!listening)
            return PLAT_ADDR_NO_HOST;
        out->sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* this machine only, unless told otherwise */
        return PLAT_ADDR_OK;
    }
    snprintf(host, hostsize, "%s", name);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = listening ? AI_PASSIVE : 0;
    if ((*gai = getaddrinfo(name, NULL, &hints, &res)) != 0 || !res)
        return PLAT_ADDR_RESOLVE;
    out->sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
    freeaddrinfo(res);
    return PLAT_ADDR_OK;
}
