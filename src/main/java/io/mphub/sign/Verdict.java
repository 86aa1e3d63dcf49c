package io.mphub.sign;

/**
 * The outcome of checking an inbound signature, so that a caller can log why a message was refused.
 */
public enum Verdict {
    /** The signature matches and every freshness rule holds. */
    VALID,
    /** No signature was sent. */
    MISSING_SIGNATURE,
    /** A header or parameter the scheme needs is absent or unreadable. */
    MALFORMED,
    /** WeChat Pay's {@code WECHATPAY/SIGNTEST/} probe, which must fail. */
    SIGNTEST_PROBE,
    /** No key is configured for the serial or key id the sender named. */
    UNKNOWN_KEY,
    /** The timestamp is too far from our clock. */
    STALE_TIMESTAMP,
    /** The signature does not match the message. */
    BAD_SIGNATURE;

    public boolean valid() {
        return this == VALID;
    }
}
