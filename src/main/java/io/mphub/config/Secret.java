package io.mphub.config;

/** A credential. Its {@code toString} never shows the value, so it cannot leak into a log line by accident. */
public record Secret(String value) {

    @Override
    public String toString() {
        return "[secret]";
    }
}
