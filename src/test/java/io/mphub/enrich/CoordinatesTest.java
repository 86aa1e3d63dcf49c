package io.mphub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which events carry a usable point, and the grid cell that is the cache key and the request's location. */
class CoordinatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String type, String data) throws Exception {
        return JSON.readTree("{\"type\":\"" + type + "\",\"data\":" + data + "}");
    }

    @Test
    void readsTheLocationOfAnyEventType() throws Exception {
        assertThat(Coordinates.of(event("mp.user.login", "{\"location\":{\"latitude\":39.9042,\"longitude\":116.4074}}")))
                .contains(new Coordinates(39.9042, 116.4074));
        assertThat(Coordinates.of(event("mp.behaviour.checkin",
                "{\"page\":\"p\",\"location\":{\"latitude\":-33.8688,\"longitude\":151.2093}}")))
                .contains(new Coordinates(-33.8688, 151.2093));
        assertThat(Coordinates.of(event("mp.user.login", "{\"location\":{\"latitude\":40,\"longitude\":116}}")))
                .contains(new Coordinates(40, 116));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"appId\":\"wx1\"}",
        "{\"location\":null}",
        "{\"location\":{\"latitude\":39.9}}",
        "{\"location\":{\"latitude\":\"39.9\",\"longitude\":\"116.4\"}}",
        "{\"location\":{\"latitude\":91,\"longitude\":116.4}}",
        "{\"location\":{\"latitude\":39.9,\"longitude\":-180.5}}",
        "{\"location\":[39.9,116.4]}",
        "\"text\""})
    void noUsablePointNoCoordinates(String data) throws Exception {
        assertThat(Coordinates.of(event("mp.user.login", data))).isEmpty();
    }

    @ParameterizedTest(name = "{0},{1} at {2} places -> {3}")
    @CsvSource(delimiter = ';', value = {
        "39.9042; 116.4074; 4; 39.9042,116.4074",
        "39.90424; 116.40744; 4; 39.9042,116.4074",
        // half-up as the decimals are written: binary rounding would give 39.9042
        "39.90425; 116.40745; 4; 39.9043,116.4075",
        "-33.86785; -70.64825; 4; -33.8679,-70.6483",
        "40; 116; 4; 40.0000,116.0000",
        "28.7033487; 115.8660847; 6; 28.703349,115.866085",
        "28.7033487; 115.8660847; 1; 28.7,115.9",
        "1.0E-7; 179.99999; 4; 0.0000,180.0000"})
    void cellRoundsHalfUpToTheDecimalPlaces(double lat, double lng, int decimals, String location) {
        assertThat(new Coordinates(lat, lng).cell(decimals)).isEqualTo(new Coordinates.Cell(location));
    }

    @Test
    void pointsWithinOneCellShareItsKeyAndNeighboursDoNot() {
        Coordinates.Cell cell = new Coordinates(39.90421, 116.40739).cell(4);
        assertThat(new Coordinates(39.90415, 116.40736).cell(4)).isEqualTo(cell);
        assertThat(new Coordinates(39.90424, 116.40744).cell(4)).isEqualTo(cell);
        assertThat(new Coordinates(39.90414, 116.40739).cell(4)).isNotEqualTo(cell);
        assertThat(new Coordinates(39.90421, 116.40739).cell(5)).isNotEqualTo(cell);
    }
}
