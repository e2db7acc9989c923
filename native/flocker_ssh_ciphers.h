/*
 * SSH's AEAD ciphers on libcrypto, for JSch. A push spends most of its CPU
 * encrypting the stream, and Java's ciphers (the JDK's AES-GCM, Bouncy
 * Castle's ChaCha20 and Poly1305) ran at about half of libcrypto's speed in
 * the test guest, and only after the JIT had warmed up.
 *
 * chacha20-poly1305@openssh.com, from OpenSSH's PROTOCOL.chacha20poly1305:
 * a 64-byte key, the main key K_2 in its first half and the header key K_1 in
 * its second; the nonce is the packet's sequence number as 64 bits, big
 * endian; the 4-byte packet length is encrypted with K_1 from block 0; the
 * Poly1305 key is the first 32 bytes of K_2's block 0; the payload is
 * encrypted with K_2 from block 1; the tag covers the encrypted length and
 * payload.
 *
 * Everything works in place on one buffer (the way JSch calls a cipher).
 * Each call returns 1 on success and 0 on failure (or a bad tag); every
 * context is freed before it returns.
 */
#ifndef FLOCKER_SSH_CIPHERS_H
#define FLOCKER_SSH_CIPHERS_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

static EVP_CIPHER *flocker_chacha20_alg;
static EVP_MAC *flocker_poly1305_alg;
static EVP_CIPHER *flocker_aes128gcm_alg;
static EVP_CIPHER *flocker_aes256gcm_alg;
static pthread_once_t flocker_ciphers_once = PTHREAD_ONCE_INIT;

/* Fetched once for the process: fetching looks the algorithm up among the providers. */
static void flocker_ciphers_fetch(void) {
    flocker_chacha20_alg = EVP_CIPHER_fetch(NULL, "ChaCha20", NULL);
    flocker_poly1305_alg = EVP_MAC_fetch(NULL, "POLY1305", NULL);
    flocker_aes128gcm_alg = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
    flocker_aes256gcm_alg = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

/* 1 when libcrypto offers both ChaCha20 and Poly1305 (a FIPS-only provider does not). */
static inline int flocker_chachapoly_available(void) {
    pthread_once(&flocker_ciphers_once, flocker_ciphers_fetch);
    return flocker_chacha20_alg != NULL && flocker_poly1305_alg != NULL;
}

/* buf[0, len) ^= ChaCha20(key, nonce seq, from block counter). libcrypto's
 * 16-byte IV is the state's last four words: the 64-bit block counter (little
 * endian), then the 8 nonce bytes as they are. */
static int flocker_chacha20_xor(const unsigned char *key, uint32_t seq, uint64_t counter, unsigned char *buf, int len) {
    unsigned char iv[16];
    int i, outl = 0, ok;
    EVP_CIPHER_CTX *ctx;
    for (i = 0; i < 8; i++) iv[i] = (unsigned char) (counter >> (8 * i));
    for (i = 0; i < 8; i++) iv[8 + i] = (unsigned char) ((uint64_t) seq >> (8 * (7 - i)));
    ctx = EVP_CIPHER_CTX_new();
    ok = ctx != NULL && EVP_EncryptInit_ex2(ctx, flocker_chacha20_alg, key, iv, NULL)
        && EVP_EncryptUpdate(ctx, buf, &outl, buf, len) && outl == len;
    EVP_CIPHER_CTX_free(ctx);
    OPENSSL_cleanse(iv, sizeof iv);
    return ok;
}

static int flocker_poly1305(const unsigned char *key, const unsigned char *data, int len, unsigned char *tag) {
    size_t tagl = 0;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(flocker_poly1305_alg);
    int ok = ctx != NULL && EVP_MAC_init(ctx, key, 32, NULL) && EVP_MAC_update(ctx, data, (size_t) len)
        && EVP_MAC_final(ctx, tag, &tagl, 16) && tagl == 16;
    EVP_MAC_CTX_free(ctx);
    return ok;
}

/* Encrypts or decrypts the 4-byte packet length at buf[off, off + 4). */
static inline int flocker_chachapoly_length(const unsigned char *key, int seq, unsigned char *buf, int off) {
    if (!flocker_chachapoly_available() || off < 0) return 0;
    return flocker_chacha20_xor(key + 32, (uint32_t) seq, 0, buf + off, 4);
}

/* One packet of len bytes at buf[off, off + len), its (already encrypted)
 * length first. Encrypting: encrypts buf[off + 4, off + len) and writes the
 * tag to buf[off + len, off + len + 16). Decrypting: checks that tag first,
 * in constant time, and decrypts only when it matches. */
static inline int flocker_chachapoly_payload(const unsigned char *key, int seq, unsigned char *buf, int off, int len,
                                             int encrypt) {
    unsigned char block0[64] = {0}, tag[16];
    int ok;
    if (!flocker_chachapoly_available() || off < 0 || len < 4) return 0;
    ok = flocker_chacha20_xor(key, (uint32_t) seq, 0, block0, 64);
    if (ok && !encrypt) {
        ok = flocker_poly1305(block0, buf + off, len, tag) && CRYPTO_memcmp(tag, buf + off + len, 16) == 0;
    }
    ok = ok && flocker_chacha20_xor(key, (uint32_t) seq, 1, buf + off + 4, len - 4);
    if (ok && encrypt) ok = flocker_poly1305(block0, buf + off, len, buf + off + len);
    OPENSSL_cleanse(block0, sizeof block0);
    OPENSSL_cleanse(tag, sizeof tag);
    return ok;
}

/*
 * aes128-gcm@openssh.com and aes256-gcm@openssh.com (RFC 5647): AES-GCM with
 * a 12-byte IV whose last 8 bytes count the packets (the caller counts), the
 * 4-byte packet length as additional data, the 16-byte tag after the packet.
 */
static const EVP_CIPHER *flocker_aesgcm_alg(int keylen) {
    pthread_once(&flocker_ciphers_once, flocker_ciphers_fetch);
    return keylen == 16 ? flocker_aes128gcm_alg : keylen == 32 ? flocker_aes256gcm_alg : NULL;
}

/* 1 when libcrypto offers AES-GCM with keys of keylen bytes (16 or 32). */
static inline int flocker_aesgcm_available(int keylen) {
    return flocker_aesgcm_alg(keylen) != NULL;
}

/* One packet at buf[off, off + len). Encrypting: len bytes of plaintext, the
 * tag written after them. Decrypting: len counts the tag; the tag is checked
 * before any plaintext reaches buf (it is decrypted aside first). */
static inline int flocker_aesgcm_packet(const unsigned char *key, int keylen, const unsigned char *iv,
                                        const unsigned char *aad, int aadlen, unsigned char *buf, int off, int len,
                                        int encrypt) {
    const EVP_CIPHER *alg = flocker_aesgcm_alg(keylen);
    int n = encrypt ? len : len - 16, outl = 0, finl = 0, ok;
    unsigned char *plain = NULL;
    EVP_CIPHER_CTX *ctx;
    if (alg == NULL || off < 0 || n < 0 || aadlen < 0) return 0;
    if (!encrypt && (plain = (unsigned char *) OPENSSL_malloc(n > 0 ? n : 1)) == NULL) return 0;
    ctx = EVP_CIPHER_CTX_new();
    ok = ctx != NULL && EVP_CipherInit_ex2(ctx, alg, key, iv, encrypt, NULL)
        && (aadlen == 0 || EVP_CipherUpdate(ctx, NULL, &outl, aad, aadlen));
    if (ok && encrypt) {
        ok = EVP_CipherUpdate(ctx, buf + off, &outl, buf + off, n) && EVP_CipherFinal_ex(ctx, buf + off + outl, &finl)
            && outl + finl == n && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, buf + off + n) == 1;
    } else if (ok) {
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, buf + off + n) == 1
            && EVP_CipherUpdate(ctx, plain, &outl, buf + off, n) && EVP_CipherFinal_ex(ctx, plain + outl, &finl) == 1
            && outl + finl == n;
        if (ok) memcpy(buf + off, plain, (size_t) n);
    }
    EVP_CIPHER_CTX_free(ctx);
    if (plain != NULL) OPENSSL_clear_free(plain, (size_t) (n > 0 ? n : 1));
    return ok;
}

#endif
