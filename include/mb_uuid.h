/*
 * mb_uuid.h -- random (version 4) UUIDs for stream ids, from OpenSSL's
 * CSPRNG.  httpd-independent.
 */
#ifndef MB_UUID_H
#define MB_UUID_H

#define MB_UUID_LEN 36 /* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" */

/* Format 16 bytes as a version 4 UUID (the version and variant bits are
 * forced) into out[MB_UUID_LEN + 1], lowercase hex. */
void mb_uuid_format(const unsigned char bytes[16], char *out);

/* A fresh random UUIDv4 into out[MB_UUID_LEN + 1].  Returns 0, or -1 when
 * the CSPRNG fails (never falls back to a weaker source). */
int mb_uuid4(char *out);

/* 1 if s is a UUID in canonical lowercase form with version 4 and the
 * RFC 4122 variant, else 0. */
int mb_uuid_valid(const char *s);

#endif /* MB_UUID_H */
