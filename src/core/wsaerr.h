/* wsaerr.h: names and student-facing explanations of Winsock error numbers (10053 ->
 * "WSAECONNABORTED"). Plain C11 with no Windows headers, so the table can be tested on
 * Linux and used by every front end that has to show a WSAGetLastError() value. */
#ifndef SHUTDOWNLAB_WSAERR_H
#define SHUTDOWNLAB_WSAERR_H

#include <stddef.h>

/* Name of a Winsock error number, e.g. 10053 -> "WSAECONNABORTED", 0 -> "NO_ERROR".
 * Unknown -> NULL. */
const char *wsaerr_name(int err);

/* One-line plain-English explanation for students. Unknown -> NULL. */
const char *wsaerr_explain(int err);

/* Reverse lookup: "WSAECONNRESET" -> 10054. Also accepts the decimal number as text
 * ("10054"; only numbers in the table), and "0" / "NO_ERROR" -> 0. Names are
 * case-sensitive. s need not be NUL-terminated; len is its length. Returns -1 if unknown. */
int wsaerr_from_name(const char *s, size_t len);

/* Writes "WSAECONNABORTED (10053)", or "error 12345" for unknown numbers, into buf
 * (always NUL-terminated when size > 0, truncated if needed). Returns buf. */
char *wsaerr_format(int err, char *buf, size_t size);

#endif
