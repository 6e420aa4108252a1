/* student.c: the small Winsock programs students write after Microsoft's "Getting Started
 * with Winsock" pages (blocking calls, recv until it returns 0), a correct one and the
 * classic mistakes, as the other end of a ShutdownLab run (tests/e2e/test_students.py).
 * A test program, not part of the release. Each says on stdout what it does, a line at a
 * time, so the test waits for "listening" instead of sleeping.
 *
 *   student server MODE PORT    accept one client on 127.0.0.1:PORT
 *     echo        recv until 0, send it all back, shutdown(SD_SEND), closesocket
 *     never       recv until 0, send it back, then never shutdown or closesocket
 *     unread      wait until the request arrives, closesocket without reading it
 *     exit        recv until 0, send it back, exit without closesocket
 *     noshutdown  recv until 0, send it back, closesocket without shutdown
 *     linger0     recv until 0, SO_LINGER {1,0}, closesocket: an abortive close
 *   student client MODE PORT    connect to 127.0.0.1:PORT, send a 100-byte request
 *     correct     shutdown(SD_SEND), recv until 0, closesocket
 *     never       never shutdown or closesocket: waits in recv
 *     unread      shutdown(SD_SEND), wait until the response arrives, closesocket unread
 *     exit        shutdown(SD_SEND), recv once, exit without closesocket
 *     linger0     SO_LINGER {1,0}, closesocket: an abortive close right after the request */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static int fail(const char *what)
{
    say("%s failed: %d", what, WSAGetLastError());
    return 1;
}

/* Waits until s has something to read (the request, or the response). */
static void wait_readable(SOCKET s)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(s, &r);
    select(0, &r, NULL, NULL, NULL);
}

/* recv until it returns 0 (or fails); returns the bytes, in buf up to size. */
static int recv_all(SOCKET s, char *buf, int size)
{
    int n = 0, r;
    char scratch[4096];
    while ((r = recv(s, n < size ? buf + n : scratch, n < size ? size - n : (int)sizeof scratch, 0)) > 0)
        n += r;
    say("recv returned %d after %d bytes", r, n);
    return n;
}

static void send_all(SOCKET s, const char *buf, int n)
{
    for (int off = 0; off < n;) {
        int r = send(s, buf + off, n - off, 0);
        if (r <= 0) {
            fail("send");
            return;
        }
        off += r;
    }
    say("sent %d bytes", n);
}

static void abortive(SOCKET s)
{
    struct linger lg = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg);
    say("SO_LINGER {1,0}");
}

static int server(const char *mode, const char *port)
{
    struct addrinfo hints, *ai;
    SOCKET l, c;
    static char buf[1 << 20];
    int n;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;
    if (getaddrinfo("127.0.0.1", port, &hints, &ai))
        return fail("getaddrinfo");
    if ((l = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) == INVALID_SOCKET)
        return fail("socket");
    if (bind(l, ai->ai_addr, (int)ai->ai_addrlen) == SOCKET_ERROR)
        return fail("bind");
    freeaddrinfo(ai);
    if (listen(l, SOMAXCONN) == SOCKET_ERROR)
        return fail("listen");
    say("listening on 127.0.0.1:%s", port);
    if ((c = accept(l, NULL, NULL)) == INVALID_SOCKET)
        return fail("accept");
    closesocket(l);
    say("accepted");
    if (!strcmp(mode, "unread")) {
        wait_readable(c);
        say("the request arrived: closesocket without reading it");
        closesocket(c);
        return 0;
    }
    n = recv_all(c, buf, sizeof buf);
    if (!strcmp(mode, "linger0")) {
        abortive(c);
        closesocket(c);
        say("closed");
        return 0;
    }
    send_all(c, buf, n);
    if (!strcmp(mode, "exit")) {
        say("exit without closesocket");
        ExitProcess(0);
    }
    if (!strcmp(mode, "never")) {
        say("never closing");
        Sleep(INFINITE);
    }
    if (strcmp(mode, "noshutdown") && shutdown(c, SD_SEND) == SOCKET_ERROR)
        return fail("shutdown");
    closesocket(c);
    say("closed");
    return 0;
}

static int client(const char *mode, const char *port)
{
    struct addrinfo hints, *ai;
    SOCKET s;
    char req[100];
    static char buf[1 << 16];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (getaddrinfo("127.0.0.1", port, &hints, &ai))
        return fail("getaddrinfo");
    if ((s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) == INVALID_SOCKET)
        return fail("socket");
    if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == SOCKET_ERROR)
        return fail("connect");
    freeaddrinfo(ai);
    say("connected");
    memset(req, 'r', sizeof req);
    send_all(s, req, sizeof req);
    if (!strcmp(mode, "linger0")) {
        abortive(s);
        closesocket(s);
        say("closed");
        return 0;
    }
    if (!strcmp(mode, "never")) {
        recv_all(s, buf, sizeof buf);
        say("never closing");
        Sleep(INFINITE);
    }
    if (shutdown(s, SD_SEND) == SOCKET_ERROR)
        return fail("shutdown");
    say("shutdown(SD_SEND)");
    if (!strcmp(mode, "unread")) {
        wait_readable(s);
        say("the response arrived: closesocket without reading it");
        closesocket(s);
        return 0;
    }
    if (!strcmp(mode, "exit")) {
        int r = recv(s, buf, sizeof buf, 0);
        say("recv once: %d; exit without closesocket", r);
        ExitProcess(0);
    }
    recv_all(s, buf, sizeof buf);
    closesocket(s);
    say("closed");
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    int rc;
    if (argc != 4 || (strcmp(argv[1], "server") && strcmp(argv[1], "client"))) {
        fprintf(stderr, "usage: student server|client MODE PORT\n");
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa))
        return 1;
    rc = !strcmp(argv[1], "server") ? server(argv[2], argv[3]) : client(argv[2], argv[3]);
    WSACleanup();
    return rc;
}
