/* fuzz_hello.c: libFuzzer harness for the handshake line (src/core/hello.c), the one
 * place where bytes from a remote program are parsed before any line of a scenario is
 * played. Any bytes must be classified without reading past them; a line that parses must
 * format back to a line that parses to the same hello; an answer must parse or be refused.
 * Built and run by scripts/fuzz.sh (clang, ASan + UBSan), natively. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1), err[128], refusal[HELLO_LINE_MAX], again[HELLO_LINE_MAX];
    size_t len = 0;
    Hello h, h2;
    if (!buf)
        return 0;
    memcpy(buf, data, size); /* exactly size bytes: ASan sees any read past them */
    if (hello_scan(buf, size, &len) == HELLO_LINE) {
        if (len > size || buf[len - 1] != '\n')
            abort();
        if (hello_parse(buf, len, &h, err, sizeof err) == 0) {
            size_t n = hello_format(&h, again, sizeof again);
            if (hello_scan(again, n, &len) != HELLO_LINE || hello_parse(again, n, &h2, err, sizeof err) != 0 ||
                strcmp(h.version, h2.version) || strcmp(h.scenario, h2.scenario) || h.side != h2.side ||
                h.payload != h2.payload || h.lines != h2.lines)
                abort(); /* what it says is what it meant */
        }
    }
    if (size && hello_parse_reply(buf, size, refusal, sizeof refusal) == 0 && strlen(refusal) >= sizeof refusal)
        abort();
    free(buf);
    return 0;
}
