package io.mphub.provider.sensorsdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * The body of a request to Sensors Data's data-receiving URL, as its SDKs send it (sa-sdk-java 3.4.0,
 * {@code HttpConsumer#getHttpEntry}): form fields {@code gzip=1} and {@code data_list} = Base64 (standard alphabet,
 * padded, no line breaks) of the GZIP of the UTF-8 JSON array of records, form-URL-encoded.
 */
final class DataList {

    private DataList() {
    }

    static String form(byte[] jsonArray) {
        return "gzip=1&data_list=" + URLEncoder.encode(Base64.getEncoder().encodeToString(gzip(jsonArray)), UTF_8);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: in memory
        }
        return out.toByteArray();
    }
}
