/* bulk.c: the baseline for the bulk-data benchmark: a plain blocking send/recv loop over
 * loopback, one thread per end, 64 KiB chunks, the same byte count as the scenario run.
 * Prints the elapsed milliseconds and MB/s.
 * usage: bulk.exe BYTES */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>

static SOCKET g_listener;
static long long g_bytes;

static DWORD WINAPI sender(void *arg)
{
    static char buf[65536];
    SOCKET s = accept(g_listener, NULL, NULL);
    long long left = g_bytes;
    (void)arg;
    memset(buf, 0x5a, sizeof buf);
    while (left > 0) {
        int n = send(s, buf, left < (long long)sizeof buf ? (int)left : (int)sizeof buf, 0);
        if (n <= 0)
            break;
        left -= n;
    }
    shutdown(s, SD_SEND);
    closesocket(s);
    return 0;
}

int main(int argc, char **argv)
{
    static char buf[65536];
    WSADATA wsa;
    struct sockaddr_in a;
    int len = sizeof a;
    long long got = 0;
    LARGE_INTEGER f, t0, t1;
    HANDLE th;
    SOCKET c;
    double ms;
    if (argc != 2 || (g_bytes = atoll(argv[1])) <= 0) {
        fprintf(stderr, "usage: bulk.exe BYTES\n");
        return 2;
    }
    WSAStartup(MAKEWORD(2, 2), &wsa);
    g_listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(g_listener, (struct sockaddr *)&a, sizeof a) || getsockname(g_listener, (struct sockaddr *)&a, &len) ||
        listen(g_listener, 1))
        return 3;
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    th = CreateThread(NULL, 0, sender, NULL, 0, NULL);
    if (connect(c, (struct sockaddr *)&a, sizeof a))
        return 3;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    for (;;) {
        int n = recv(c, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        got += n;
    }
    QueryPerformanceCounter(&t1);
    WaitForSingleObject(th, INFINITE);
    closesocket(c);
    closesocket(g_listener);
    ms = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / (double)f.QuadPart;
    printf("%lld %.3f\n", got, ms);
    WSACleanup();
    return got == g_bytes ? 0 : 1;
}
