/**
 * Signing and verification for the providers mphub speaks to, one class per scheme.
 *
 * <p>Every class is a pure function of the keys, settings, {@link java.time.Clock} and nonce source given to its
 * constructor, tested on the vendor's published vector and, where one exists, against the vendor's SDK. Verifiers compare in
 * constant time and return a {@link io.mphub.sign.Verdict} saying why a message was refused.
 */
package io.mphub.sign;
