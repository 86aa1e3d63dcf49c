package io.mphub.provider.sensorsdata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.deliver.BatchEvent;
import io.mphub.provider.EventNames;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;

/** A CloudEvent as a Sensors Data track record, and the data_list it travels in. */
class SensorsDataRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SensorsDataRecords records = new SensorsDataRecords(JSON,
            new EventNames(Map.of("mp.behaviour.page_view", "$MPViewScreen")), "1.2.3");

    private static BatchEvent event(String id, String type, String subject, String data, String time) {
        String json = Events.structured(id, type, subject, data).replaceFirst("\"time\":\"[^\"]+\"",
                "\"time\":\"" + time + "\"");
        return new BatchEvent(id, type, json.getBytes(UTF_8));
    }

    @Test
    void aPageViewBecomesATrackRecordOfThePresetEventWithTheSubjectAsDistinctId() {
        ObjectNode r = records.record(event("e-1", "mp.behaviour.page_view", "oUser1",
                Events.behaviour("oUser1", "pages/index/index"), "2026-03-01T10:00:00.250+08:00")).record();

        assertThat(r.get("type").asText()).isEqualTo("track");
        assertThat(r.get("event").asText()).isEqualTo("$MPViewScreen");
        assertThat(r.get("distinct_id").asText()).isEqualTo("oUser1");
        assertThat(r.get("time").asLong()).isEqualTo(1772330400250L);
        assertThat(r.get("_track_id").isInt()).isTrue();
        JsonNode p = r.get("properties");
        assertThat(p.get("page").asText()).isEqualTo("pages/index/index");
        assertThat(p.get("durationMs").asInt()).isEqualTo(1200);
        assertThat(p.get("mphub_event_id").asText()).isEqualTo("e-1");
        assertThat(p.get("$lib").asText()).isEqualTo("mphub");
        assertThat(p.get("$lib_version").asText()).isEqualTo("1.2.3");
        assertThat(r.get("lib").get("$lib_method").asText()).isEqualTo("code");
    }

    @Test
    void anUnmappedTypeGoesByItsShortNameAndNestedDataIsFlattened() {
        ObjectNode r = records.record(event("e-2", "mp.order.created", "oUser1",
                Events.orderCreated("oUser1", "O-1"), "2026-03-01T02:00:00Z")).record();

        assertThat(r.get("event").asText()).isEqualTo("order_created");
        JsonNode p = r.get("properties");
        assertThat(p.get("amount_total").asInt()).isEqualTo(1999);
        assertThat(p.get("amount_currency").asText()).isEqualTo("CNY");
        // an array of objects: its JSON text, since Sensors Data takes only lists of texts
        assertThat(p.get("items").asText()).startsWith("[{\"sku\":\"T-1\"");
    }

    @Test
    void aBehavioursOwnPropertiesComeToTheTopUnlessADataFieldHasTheName() {
        String data = "{\"appId\":\"wx1234567890abcdef\",\"openId\":\"oU\",\"page\":\"p\",\"properties\":"
                + "{\"color\":\"red\",\"page\":\"other\",\"tags\":[\"a\",1],\"1st\":true,\"id\":7,\"none\":null}}";
        JsonNode p = records.record(event("e-3", "mp.behaviour.tap", "oU", data, "2026-03-01T02:00:00Z")).record()
                .get("properties");

        assertThat(p.get("color").asText()).isEqualTo("red");
        assertThat(p.get("page").asText()).isEqualTo("p");
        assertThat(p.get("properties_page").asText()).isEqualTo("other");
        assertThat(p.get("tags")).hasSize(2).allSatisfy(t -> assertThat(t.isTextual()).isTrue());
        assertThat(p.get("_1st").asBoolean()).isTrue();
        assertThat(p.get("mp_id").asInt()).isEqualTo(7);
        assertThat(p.has("none")).isFalse();
    }

    @Test
    void longTextsAreCutAtSensorsDataLimit() {
        String data = "{\"appId\":\"wx1\",\"openId\":\"oU\",\"page\":\"" + "x".repeat(9000) + "\"}";
        JsonNode p = records.record(event("e-4", "mp.behaviour.tap", "oU", data, "2026-03-01T02:00:00Z")).record()
                .get("properties");

        assertThat(p.get("page").asText()).hasSize(8192);
    }

    @Test
    void theTrackIdIsTheSameOnEveryAttemptOfAnEvent() {
        assertThat(SensorsDataRecords.trackId("e-1")).isEqualTo(SensorsDataRecords.trackId("e-1"))
                .isNotEqualTo(SensorsDataRecords.trackId("e-2"));
    }

    @Test
    void anEventWithoutUserOrTimeOrJsonCannotBeARecord() {
        assertThat(records.record(new BatchEvent("x", "t", "not json".getBytes(UTF_8))).problem().reason())
                .isEqualTo("unreadable_event");
        assertThat(records.record(event("e-5", "mp.behaviour.tap", "", "{\"page\":\"p\"}", "2026-03-01T02:00:00Z"))
                .problem().reason()).isEqualTo("missing_field");
        assertThat(records.record(event("e-6", "mp.behaviour.tap", "oU", "{}", "yesterday")).problem().message())
                .contains("time");
    }

    @Test
    void propertyNamesAreMadeValidForSensorsData() {
        assertThat(SensorsDataRecords.key("order-id")).isEqualTo("order_id");
        assertThat(SensorsDataRecords.key("$city")).isEqualTo("_city");
        assertThat(SensorsDataRecords.key("Time")).isEqualTo("mp_Time");
        assertThat(SensorsDataRecords.key("user_group_x")).isEqualTo("mp_user_group_x");
        assertThat(SensorsDataRecords.key("k".repeat(120))).hasSize(100);
        assertThat(SensorsDataRecords.nameProblem("order_paid")).isNull();
        assertThat(SensorsDataRecords.nameProblem("2fast")).isNotNull();
        assertThat(SensorsDataRecords.nameProblem("event")).isNotNull();
    }

    @Test
    void dataListIsTheBase64OfTheGzipOfTheJsonArray() throws Exception {
        byte[] array = "[{\"type\":\"track\",\"event\":\"页面\"}]".getBytes(UTF_8);

        String form = DataList.form(array);

        assertThat(form).startsWith("gzip=1&data_list=");
        String dataList = URLDecoder.decode(form.substring("gzip=1&data_list=".length()), UTF_8);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(dataList)))) {
            assertThat(in.readAllBytes()).isEqualTo(array);
        }
    }
}
