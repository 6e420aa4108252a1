/* test_wsaerr.c: TAP test of the Winsock error table in src/core/wsaerr.c (names,
 * explanations, reverse lookup, formatting). Pure C, so it runs on Linux as well as Windows. */
#include "tap.h"
#include "wsaerr.h"

#include <string.h>

static int contains(const char *hay, const char *needle)
{
    return hay != NULL && strstr(hay, needle) != NULL;
}

int main(void)
{
    static const struct {
        int code;
        const char *name;
        const char *keyword; /* must appear in the explanation */
    } shutdown_codes[] = {
        {10053, "WSAECONNABORTED", "FD_CLOSE"}, {10054, "WSAECONNRESET", "RST"},
        {10035, "WSAEWOULDBLOCK", "SO_LINGER"}, {10058, "WSAESHUTDOWN", "shutdown()"},
        {10057, "WSAENOTCONN", "not connected"},
    };
    char buf[64];
    char guard[8];
    /* not NUL-terminated where it matters: only the first 13 / 5 bytes are passed */
    const char raw[] = {'W', 'S', 'A', 'E', 'C', 'O', 'N', 'N', 'R', 'E', 'S', 'E', 'T', 'X'};
    const char rawnum[] = {'1', '0', '0', '5', '4', '9'};
    int n, found = 0, bad_trip = 0, bad_explain = 0;
    size_t i;

    tap_plan(31);

    for (i = 0; i < sizeof shutdown_codes / sizeof shutdown_codes[0]; i++)
        tap_is_str(wsaerr_name(shutdown_codes[i].code), shutdown_codes[i].name,
                   shutdown_codes[i].name);
    for (i = 0; i < sizeof shutdown_codes / sizeof shutdown_codes[0]; i++)
        tap_ok(contains(wsaerr_explain(shutdown_codes[i].code), shutdown_codes[i].keyword),
               "explain(%d) mentions \"%s\"", shutdown_codes[i].code, shutdown_codes[i].keyword);

    for (n = 0; n <= 12000; n++) {
        const char *name = wsaerr_name(n);
        if (name == NULL)
            continue;
        found++;
        if (wsaerr_from_name(name, strlen(name)) != n) {
            bad_trip++;
            tap_diag("  round trip failed for %d (%s)", n, name);
        }
        if (wsaerr_explain(n) == NULL || wsaerr_explain(n)[0] == '\0') {
            bad_explain++;
            tap_diag("  no explanation for %d (%s)", n, name);
        }
    }
    tap_is_int(bad_trip, 0, "name -> number -> name round trip for every entry");
    tap_is_int(bad_explain, 0, "every named entry has an explanation");
    tap_ok(found >= 60, "table has at least 60 entries (found %d)", found);

    tap_is_str(wsaerr_name(0), "NO_ERROR", "name(0) is NO_ERROR");
    tap_ok(wsaerr_name(4242) == NULL && wsaerr_explain(4242) == NULL, "unknown 4242 -> NULL");
    tap_ok(wsaerr_name(-1) == NULL, "negative number -> NULL");

    tap_is_int(wsaerr_from_name("10054", 5), 10054, "from_name(\"10054\")");
    tap_is_int(wsaerr_from_name("NO_ERROR", 8), 0, "from_name(\"NO_ERROR\")");
    tap_is_int(wsaerr_from_name("0", 1), 0, "from_name(\"0\")");
    tap_is_int(wsaerr_from_name("wsaeconnreset", 13), -1, "names are case-sensitive");
    tap_is_int(wsaerr_from_name("", 0), -1, "from_name(\"\")");
    tap_is_int(wsaerr_from_name("WSAECONNRESETX", 14), -1, "from_name(\"WSAECONNRESETX\")");
    tap_is_int(wsaerr_from_name(raw, 13), 10054, "non-terminated name buffer, len 13");
    tap_is_int(wsaerr_from_name(rawnum, 5), 10054, "non-terminated number buffer, len 5");
    tap_is_int(wsaerr_from_name("WSAECONN", 8), -1, "prefix of a name is not a name");
    tap_is_int(wsaerr_from_name("4242", 4), -1, "number not in the table");
    tap_is_int(wsaerr_from_name("WSA_QOS_RESERVED_PETYPE", 23), 11031,
               "from_name(\"WSA_QOS_RESERVED_PETYPE\")");

    tap_is_str(wsaerr_format(10053, buf, sizeof buf), "WSAECONNABORTED (10053)",
               "format(10053)");
    tap_ok(wsaerr_format(10053, buf, sizeof buf) == buf, "format returns buf");
    tap_is_str(wsaerr_format(4242, buf, sizeof buf), "error 4242", "format(4242)");
    memset(guard, 'Z', sizeof guard);
    wsaerr_format(10053, guard, 5);
    tap_ok(guard[4] == '\0' && strcmp(guard, "WSAE") == 0 && guard[5] == 'Z',
           "format truncates into a 5-byte buffer, NUL-terminated, no overrun");

    return tap_done();
}
