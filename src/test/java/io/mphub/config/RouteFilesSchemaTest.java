package io.mphub.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file under routes/ is valid against Camel's own YAML DSL schema ({@code schema/camelYamlDsl.json} in
 * camel-yaml-dsl, draft-04), the one editors such as Kaoto and VS Code check files with. The schema is stricter than
 * Camel's runtime (it wants {@code handled: {constant: "true"}}, not {@code true}), so a file Camel runs can still be
 * flagged in an operator's editor.
 */
class RouteFilesSchemaTest {

    private static JsonSchema schema;
    private static final ObjectMapper YAML = new YAMLMapper();

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = RouteFilesSchemaTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("camel-yaml-dsl's schema on the classpath").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(new ObjectMapper().readTree(in));
        }
    }

    @Test
    void everyRouteFileIsValidAgainstCamelsYamlDslSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("routes"))) {
            files = walk.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        for (Path file : files) {
            assertThat(errors(YAML.readTree(file.toFile()))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theCheckFlagsWhatTheSchemaRefuses() throws IOException {
        // What the route files said before they were made valid: a boolean constant and a numeric period.
        JsonNode handledBoolean = YAML.readTree("""
                - routeConfiguration:
                    onException:
                      - onException:
                          exception: [java.lang.Exception]
                          handled:
                            constant: true
                """);
        JsonNode numericPeriod = YAML.readTree("""
                - route:
                    from:
                      uri: direct:x
                      steps:
                        - throttle:
                            expression:
                              constant: "10"
                            timePeriodMillis: 1000
                """);
        assertThat(errors(handledBoolean)).isNotEmpty();
        assertThat(errors(numericPeriod)).isNotEmpty();
    }

    private static Set<ValidationMessage> errors(JsonNode routes) {
        return schema.validate(routes);
    }
}
