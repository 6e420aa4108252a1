/* wsaerr.c: the one table of Winsock error numbers, names and explanations, plus lookups.
 * Numbers come from Microsoft's "Windows Sockets Error Codes" page; they are spelled out
 * here (not taken from winsock2.h) so the module builds and is tested on any platform. */
#include "wsaerr.h"

#include <stdio.h>
#include <string.h>

struct wsaerr_entry {
    int code;
    const char *name;
    const char *explain;
};

/* Sorted by number. Explanations of the shutdown-related codes describe what they mean
 * while closing a TCP connection, which is what ShutdownLab is about. */
static const struct wsaerr_entry wsaerr_table[] = {
    {0, "NO_ERROR",
     "Success, no error; in FD_CLOSE a 0 means the peer closed gracefully (its FIN arrived)."},
    {6, "WSA_INVALID_HANDLE",
     "An event object handle passed to a WSA...Event or wait function is not valid."},
    {8, "WSA_NOT_ENOUGH_MEMORY", "Windows did not have enough memory to complete the call."},
    {64, "ERROR_NETNAME_DELETED",
     "The network name is no longer available; with overlapped I/O or IOCP this is typically "
     "how a pending operation fails when the connection was reset or aborted."},
    {87, "WSA_INVALID_PARAMETER", "One or more parameters passed to the function are invalid."},
    {995, "WSA_OPERATION_ABORTED",
     "A pending overlapped operation was cancelled, for example because the socket was closed "
     "with closesocket() while a WSARecv() or WSASend() was still outstanding."},
    {996, "WSA_IO_INCOMPLETE",
     "The overlapped operation has not finished yet (WSAGetOverlappedResult without waiting)."},
    {997, "WSA_IO_PENDING",
     "Not a failure: the overlapped operation was started and will complete later."},
    {10004, "WSAEINTR",
     "A blocking call was interrupted, e.g. by WSACancelBlockingCall() or, often, by another "
     "thread calling closesocket() on the same socket."},
    {10009, "WSAEBADF", "The file handle supplied is not valid."},
    {10013, "WSAEACCES",
     "Permission denied, e.g. sendto() a broadcast address without SO_BROADCAST, or bind() to "
     "an address another socket holds exclusively."},
    {10014, "WSAEFAULT",
     "A pointer argument is invalid or a buffer/length argument is too small (e.g. a "
     "sockaddr length)."},
    {10022, "WSAEINVAL",
     "An argument is invalid or the socket is in the wrong state for this call, e.g. accept() "
     "on a socket that is not listening, or shutdown() with a bad 'how' value."},
    {10024, "WSAEMFILE", "Too many sockets are open."},
    {10035, "WSAEWOULDBLOCK",
     "A non-blocking call cannot finish right now, try again later; closesocket() on a "
     "non-blocking socket with SO_LINGER on and a nonzero timeout fails this way (the socket "
     "stays open) because the close would have to wait for unsent data."},
    {10036, "WSAEINPROGRESS",
     "A blocking Winsock 1.1 call is already running in this thread (or a callback is being "
     "processed); closesocket() and shutdown() can fail this way, rare with Winsock 2."},
    {10037, "WSAEALREADY",
     "An operation is already in progress on this non-blocking socket, e.g. a second "
     "connect() while the first is still pending."},
    {10038, "WSAENOTSOCK",
     "The handle is not (or no longer) a socket, typically a double closesocket() or using a "
     "socket after it was closed."},
    {10039, "WSAEDESTADDRREQ",
     "A destination address is required but was not given (e.g. sendto() without one)."},
    {10040, "WSAEMSGSIZE",
     "A datagram was larger than a network limit, or the receive buffer was smaller than the "
     "datagram (the rest was discarded)."},
    {10041, "WSAEPROTOTYPE",
     "The protocol does not fit the socket type (e.g. IPPROTO_UDP with SOCK_STREAM)."},
    {10042, "WSAENOPROTOOPT",
     "getsockopt()/setsockopt() was given an unknown or unsupported option or level."},
    {10043, "WSAEPROTONOSUPPORT", "The requested protocol is not installed or not supported."},
    {10044, "WSAESOCKTNOSUPPORT", "This socket type is not supported in this address family."},
    {10045, "WSAEOPNOTSUPP",
     "The operation is not supported for this kind of socket (e.g. listen() on a UDP socket)."},
    {10046, "WSAEPFNOSUPPORT", "The protocol family is not installed or not configured."},
    {10047, "WSAEAFNOSUPPORT",
     "An address of the wrong family was used with this socket (e.g. IPv6 on an IPv4 socket)."},
    {10048, "WSAEADDRINUSE",
     "The address and port are already in use by another socket (normally only one may bind)."},
    {10049, "WSAEADDRNOTAVAIL",
     "The address is not valid here, e.g. bind() to an IP this machine does not have, or "
     "connect() to port 0."},
    {10050, "WSAENETDOWN", "The network subsystem or the local network interface has failed."},
    {10051, "WSAENETUNREACH", "No route to the destination network is known right now."},
    {10052, "WSAENETRESET",
     "The connection was broken because keep-alive probes detected a failure while an "
     "operation was in progress."},
    {10053, "WSAECONNABORTED",
     "The connection was aborted: what Windows puts in FD_CLOSE when the peer reset the "
     "connection (RST), and what recv() reports after sending to a peer that closed "
     "(Wine's conformance tests on Windows, test_close_events and test_shutdown)."},
    {10054, "WSAECONNRESET",
     "The peer reset the connection (sent an RST), e.g. it crashed, closed with unread data, "
     "or closed with SO_LINGER timeout 0; data not yet read may be lost."},
    {10055, "WSAENOBUFS",
     "No buffer space or other resources (e.g. ephemeral ports) were available."},
    {10056, "WSAEISCONN",
     "connect() on a socket that is already connected; a shut-down TCP socket cannot be "
     "connected again: close it and create a new one."},
    {10057, "WSAENOTCONN",
     "The socket is not connected, e.g. shutdown(), send() or recv() on a TCP socket that was "
     "never connected or whose connect() has not finished."},
    {10058, "WSAESHUTDOWN",
     "Sending or receiving is not allowed because shutdown() already closed that direction "
     "(e.g. send() after shutdown(SD_SEND))."},
    {10059, "WSAETOOMANYREFS", "Too many references to some kernel object."},
    {10060, "WSAETIMEDOUT",
     "The peer did not respond in time: connect() gave up, or an established connection was "
     "dropped after retransmissions went unanswered."},
    {10061, "WSAECONNREFUSED",
     "The target actively refused the connection, usually because nothing listens on that "
     "port."},
    {10062, "WSAELOOP", "Cannot translate name."},
    {10063, "WSAENAMETOOLONG", "A name or host name is too long."},
    {10064, "WSAEHOSTDOWN", "The destination host is down."},
    {10065, "WSAEHOSTUNREACH", "No route to the destination host is known."},
    {10066, "WSAENOTEMPTY", "Directory not empty (not normally seen with sockets)."},
    {10067, "WSAEPROCLIM", "Too many processes are using Winsock at the same time."},
    {10068, "WSAEUSERS", "User quota exceeded."},
    {10069, "WSAEDQUOT", "Disk quota exceeded."},
    {10070, "WSAESTALE", "Stale file handle reference: the handle is no longer available."},
    {10071, "WSAEREMOTE", "The item is remote and not available locally."},
    {10091, "WSASYSNOTREADY",
     "WSAStartup() failed because the network subsystem is not ready."},
    {10092, "WSAVERNOTSUPPORTED",
     "WSAStartup() was asked for a Winsock version this system does not support."},
    {10093, "WSANOTINITIALISED",
     "WSAStartup() has not been called successfully, or WSACleanup() was already called "
     "(e.g. closesocket() after WSACleanup())."},
    {10101, "WSAEDISCON",
     "The peer started a graceful shutdown; WSARecv() reports this on message-oriented "
     "sockets, while a TCP stream instead returns 0 bytes."},
    {10102, "WSAENOMORE", "No more results (WSALookupServiceNext)."},
    {10103, "WSAECANCELLED",
     "The lookup was cancelled: WSALookupServiceEnd() ran while WSALookupServiceNext() was "
     "still busy."},
    {10104, "WSAEINVALIDPROCTABLE",
     "A service provider returned an invalid or incomplete procedure table."},
    {10105, "WSAEINVALIDPROVIDER", "A service provider returned a version other than 2.2."},
    {10106, "WSAEPROVIDERFAILEDINIT", "A service provider failed to initialize."},
    {10107, "WSASYSCALLFAILURE", "A system call that should never fail has failed."},
    {10108, "WSASERVICE_NOT_FOUND", "No such service is known in the given name space."},
    {10109, "WSATYPE_NOT_FOUND", "The specified class type was not found."},
    {10110, "WSA_E_NO_MORE", "No more results (WSALookupServiceNext)."},
    {10111, "WSA_E_CANCELLED",
     "The lookup was cancelled while WSALookupServiceNext() was still busy."},
    {10112, "WSAEREFUSED", "A database query failed because it was actively refused."},
    {11001, "WSAHOST_NOT_FOUND", "No such host is known: the name does not resolve."},
    {11002, "WSATRY_AGAIN",
     "Temporary name-resolution failure (no authoritative answer); try again later."},
    {11003, "WSANO_RECOVERY", "A non-recoverable error occurred during a database lookup."},
    {11004, "WSANO_DATA",
     "The name is valid but has no data of the requested type (e.g. no address)."},
    {11005, "WSA_QOS_RECEIVERS", "QoS: at least one reserve message has arrived."},
    {11006, "WSA_QOS_SENDERS", "QoS: at least one path message has arrived."},
    {11007, "WSA_QOS_NO_SENDERS", "QoS: there are no senders."},
    {11008, "WSA_QOS_NO_RECEIVERS", "QoS: there are no receivers."},
    {11009, "WSA_QOS_REQUEST_CONFIRMED", "QoS: the reservation request was confirmed."},
    {11010, "WSA_QOS_ADMISSION_FAILURE", "QoS: refused for lack of resources."},
    {11011, "WSA_QOS_POLICY_FAILURE", "QoS: rejected for administrative reasons."},
    {11012, "WSA_QOS_BAD_STYLE", "QoS: unknown or conflicting reservation style."},
    {11013, "WSA_QOS_BAD_OBJECT", "QoS: problem with the filterspec or provider buffer."},
    {11014, "WSA_QOS_TRAFFIC_CTRL_ERROR", "QoS: problem with some part of the flowspec."},
    {11015, "WSA_QOS_GENERIC_ERROR", "QoS: general QoS error."},
    {11016, "WSA_QOS_ESERVICETYPE", "QoS: invalid or unknown service type in the flowspec."},
    {11017, "WSA_QOS_EFLOWSPEC", "QoS: invalid or inconsistent flowspec."},
    {11018, "WSA_QOS_EPROVSPECBUF", "QoS: invalid provider-specific buffer."},
    {11019, "WSA_QOS_EFILTERSTYLE", "QoS: invalid filter style."},
    {11020, "WSA_QOS_EFILTERTYPE", "QoS: invalid filter type."},
    {11021, "WSA_QOS_EFILTERCOUNT", "QoS: wrong number of filterspecs in a flow descriptor."},
    {11022, "WSA_QOS_EOBJLENGTH", "QoS: an object in the provider buffer has a bad length."},
    {11023, "WSA_QOS_EFLOWCOUNT", "QoS: wrong number of flow descriptors."},
    {11024, "WSA_QOS_EUNKOWNPSOBJ", "QoS: unrecognized object in the provider buffer."},
    {11025, "WSA_QOS_EPOLICYOBJ", "QoS: invalid policy object in the provider buffer."},
    {11026, "WSA_QOS_EFLOWDESC", "QoS: invalid flow descriptor in the list."},
    {11027, "WSA_QOS_EPSFLOWSPEC", "QoS: invalid or inconsistent flowspec in the buffer."},
    {11028, "WSA_QOS_EPSFILTERSPEC", "QoS: invalid filterspec in the provider buffer."},
    {11029, "WSA_QOS_ESDMODEOBJ", "QoS: invalid shape discard mode object."},
    {11030, "WSA_QOS_ESHAPERATEOBJ", "QoS: invalid shaping rate object."},
    {11031, "WSA_QOS_RESERVED_PETYPE", "QoS: reserved policy element in the provider buffer."},
};

#define WSAERR_COUNT (sizeof wsaerr_table / sizeof wsaerr_table[0])

static const struct wsaerr_entry *wsaerr_find(int err)
{
    size_t i;
    for (i = 0; i < WSAERR_COUNT; i++) {
        if (wsaerr_table[i].code == err)
            return &wsaerr_table[i];
        if (wsaerr_table[i].code > err)
            break; /* sorted: no later entry can match */
    }
    return NULL;
}

const char *wsaerr_name(int err)
{
    const struct wsaerr_entry *e = wsaerr_find(err);
    return e ? e->name : NULL;
}

const char *wsaerr_explain(int err)
{
    const struct wsaerr_entry *e = wsaerr_find(err);
    return e ? e->explain : NULL;
}

int wsaerr_from_name(const char *s, size_t len)
{
    size_t i;
    if (s == NULL || len == 0)
        return -1;
    if (s[0] >= '0' && s[0] <= '9') {
        long v = 0;
        if (len > 9) /* longer than any code; also keeps v from overflowing */
            return -1;
        for (i = 0; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return wsaerr_find((int)v) ? (int)v : -1;
    }
    for (i = 0; i < WSAERR_COUNT; i++) {
        const char *n = wsaerr_table[i].name;
        if (strlen(n) == len && memcmp(n, s, len) == 0)
            return wsaerr_table[i].code;
    }
    return -1;
}

char *wsaerr_format(int err, char *buf, size_t size)
{
    const char *n;
    if (buf == NULL || size == 0)
        return buf;
    n = wsaerr_name(err);
    if (n)
        snprintf(buf, size, "%s (%d)", n, err);
    else
        snprintf(buf, size, "error %d", err);
    return buf;
}
