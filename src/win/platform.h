/* platform.h: what the Winsock layer needs from Windows besides sockets: one clock for
 * both ends' threads, the platform's name (and whether Wine's known differences apply),
 * a lock for the transcript. */
#ifndef SHUTDOWNLAB_PLATFORM_H
#define SHUTDOWNLAB_PLATFORM_H

#include <winsock2.h>
#include <windows.h>
#include <stddef.h>
#include <stdint.h>

/* Microseconds on QueryPerformanceCounter: monotonic, shared by all threads. */
int64_t plat_clock_us(void *unused);
/* The wall clock: ns since 1970 UTC (what a capture's timestamps count). */
int64_t plat_wall_ns(void *unused);
/* Wine's version ("8.0") or NULL on Windows (ntdll's wine_get_version). */
const char *plat_wine_version(void);
/* "Wine 8.0" or "Windows 10.0.19045". */
void plat_describe(char *buf, size_t size);
/* "Windows 10.0.19045": the version the system reports (RtlGetVersion: no manifest lies;
 * under Wine, the Windows it plays). */
void plat_os(char *buf, size_t size);
/* Transcript lock callbacks over a CRITICAL_SECTION. */
void plat_lock(void *cs);
void plat_unlock(void *cs);
/* WSAStartup 2.2; returns 0 or the error. */
int plat_winsock_start(void);

/* A message-only window of class `name` (registered once) with this procedure and
 * creation parameter: where a thread's sockets post. NULL (GetLastError says why) when
 * it cannot be made. */
HWND plat_message_window(WNDPROC proc, const wchar_t *name, void *param);
/* "127.0.0.1:5000" */
void plat_addr_text(const struct sockaddr_in *a, char *buf, size_t size);
/* What an address argument says, for --listen ([ADDR:]PORT: 127.0.0.1 without ADDR, this
 * machine only unless told otherwise) or --connect (HOST:PORT, an IPv4 address or a name
 * resolved here): PLAT_ADDR_OK with *out, or why not (a port outside min_port..65535, a
 * --connect without a host, a host that does not resolve: its name in host, getaddrinfo's
 * error in *gai). Winsock must be started. */
enum { PLAT_ADDR_OK, PLAT_ADDR_PORT, PLAT_ADDR_NO_HOST, PLAT_ADDR_RESOLVE };
int plat_parse_addr(const wchar_t *w, int listening, int min_port, struct sockaddr_in *out, char *host,
                    size_t hostsize, int *gai);
/* Whether plat_parse_addr would look a name up for w (HOST:PORT with a port it takes and
 * a host that is not a dotted IPv4 address): what may take a slow DNS server's time. */
int plat_addr_names_host(const wchar_t *w, int min_port);

#endif
