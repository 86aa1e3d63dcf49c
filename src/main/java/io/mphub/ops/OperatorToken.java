package io.mphub.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.mphub.config.Secret;
import io.mphub.sign.Digests;

/**
 * The operator token, as the console checks it: {@code Authorization: Bearer <token>}. Both sides are hashed before
 * they are compared, in constant time, so the comparison takes as long whatever the token's length or content; the
 * token itself is kept only as its digest, and never said.
 */
final class OperatorToken {

    /** What a request's {@code Authorization} header came to. */
    enum Verdict {
        /** No token is set: the console takes no action. */
        OFF,
        MISSING,
        WRONG,
        GOOD
    }

    private final Optional<byte[]> digest;

    OperatorToken(Optional<Secret> token) {
        this.digest = token.map(t -> digest(t.value()));
    }

    boolean set() {
        return digest.isPresent();
    }

    Verdict check(String authorization) {
        if (digest.isEmpty()) {
            return Verdict.OFF;
        }
        if (authorization == null || authorization.isBlank()) {
            return Verdict.MISSING;
        }
        return authorization.startsWith("Bearer ") && MessageDigest.isEqual(digest(authorization.substring(7).trim()),
                digest.get()) ? Verdict.GOOD : Verdict.WRONG;
    }

    private static byte[] digest(String token) {
        return Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
    }
}
