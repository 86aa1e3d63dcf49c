package io.mphub.deliver;

/**
 * Whether a destination kind delivers in batches, which a destination's file says by its template: {@code deliver}
 * (one event per request) or {@code deliver-batch}. Start-up refuses a file whose template its kind cannot serve.
 */
public enum Batching {
    /** One event per request only ({@link Kind}). */
    NEVER,
    /** Either, as the destination's file chooses ({@link Kind} and {@link BatchKind}). */
    EITHER,
    /** In batches only: the platform's API takes batches ({@link BatchKind}). */
    ALWAYS
}
