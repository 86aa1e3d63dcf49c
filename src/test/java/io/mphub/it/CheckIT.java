package io.mphub.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.mphub.testing.JarCommand;
import io.mphub.testing.JarCommand.Run;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/mphub.jar check}, the packaged jar as a child process: the shipped routes pass in a few
 * seconds without a broker, a route or a port; each way of breaking a route file or a setting exits 2 naming its
 * file:line (or the setting and its variable) and the fix. Run on copies of routes/; by default the demo's settings
 * apply (no cluster, no destination URL), as they do for a first start.
 */
class CheckIT {

    @TempDir
    Path temp;

    @Test
    void theShippedRoutesPassAndNothingIsStartedOrBound() throws Exception {
        // Every port start-up would bind is held here: a check that started the broker, the demo's receivers or the
        // HTTP listener would fail to bind it.
        try (ServerSocket kafka = new ServerSocket(0); ServerSocket controller = new ServerSocket(0);
                ServerSocket demo = new ServerSocket(0); ServerSocket http = new ServerSocket(0);
                ServerSocket console = new ServerSocket(0)) {
            Path data = temp.resolve("kafka-data");
            Run run = check(Map.of("MPHUB_KAFKA_EMBEDDED_PORT", port(kafka),
                    "MPHUB_KAFKA_EMBEDDED_CONTROLLER_PORT", port(controller), "MPHUB_KAFKA_EMBEDDED_DATA_DIR",
                    data.toString(), "MPHUB_DEMO_PORT", port(demo), "MPHUB_HTTP_PORT", port(http), "MPHUB_CONSOLE_PORT", port(console)));

            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.out()).contains("mphub check: ok")
                    .contains("route files: 11 in routes")
                    .contains("destinations: analytics (webhook, in batches), customer-service (webhook), logistics (webhook),"
                            + " notifications (webhook), payment (webhook)")
                    .contains("Kafka: embedded, on port " + port(kafka))
                    .contains("demo mode (mphub.demo.enabled=auto): analytics, customer-service, logistics,"
                            + " notifications, payment would use the demo's sandbox receivers");
            assertThat(run.output()).doesNotContain("Embedded Kafka broker", "sandbox receivers on", "HTTP listener",
                    "Operators' console", "mphub started");
            assertThat(data).doesNotExist();
            System.out.printf("check of the shipped routes: %d ms%n", run.elapsed().toMillis());
        }
    }

    @Test
    void yamlThatDoesNotParseIsNamedAtItsLineOnce() throws Exception {
        Edit edit = edit("dispatch.camel.yaml", "        - choice:", "        - choice:\n     broken: [unclosed");

        assertThat(refused(check(edit)))
                .contains("mphub check: 1 configuration problem:")
                .contains(edit.file() + ":" + (edit.line() + 1) + ": malformed YAML")
                .contains("fix: correct the YAML at that line");
    }

    @Test
    void aDestinationFileNamingAnotherRouteIsNamedAtItsLine() throws Exception {
        Edit edit = edit("destinations/payment.camel.yaml", "routeId: deliver-payment", "routeId: deliver-payments");

        assertThat(refused(check(edit)))
                .contains(edit.where() + ": the delivery route of destination 'payment' is not named deliver-payment")
                .contains("fix: give its templatedRoute 'routeId: deliver-payment'");
    }

    @Test
    void anUnknownDestinationInTheFanOutTableIsNamedAtItsLineWithTheRoutesDirectoryFromTheEnvironment()
            throws Exception {
        Edit edit = edit("dispatch.camel.yaml", "constant: analytics,customer-service",
                "constant: analytcs,customer-service");

        assertThat(refused(check(Map.of("MPHUB_ROUTES_DIR", edit.routes().toString()))))
                .contains(edit.where() + ": the fan-out table sends to unknown destination 'analytcs'")
                .contains("fix: correct the name, or add routes/destinations/analytcs.camel.yaml");
    }

    @Test
    void theRoutesOptionOverridesTheRoutesDirectorySetting() throws Exception {
        Path routes = TestRoutes.copyInto(temp);

        Run run = check(Map.of("MPHUB_ROUTES_DIR", temp.resolve("not-there").toString()),
                "--routes", routes.toString());

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.out()).contains("route files: 11 in " + routes);
    }

    @Test
    void badSettingsFromTheEnvironmentAndTheSecretsFileAreNamedWithTheirVariables() throws Exception {
        Path secrets = Files.writeString(temp.resolve("secrets.properties"), "mphub.kafka.embedded.port=ninety\n");

        assertThat(refused(check(Map.of("MPHUB_DESTINATIONS_PAYMENT_RATE", "abc",
                "MPHUB_SECRETS_FILE", secrets.toString()))))
                .contains("mphub check: 2 configuration problems:")
                .contains("mphub.destinations.payment.rate (MPHUB_DESTINATIONS_PAYMENT_RATE): 'abc' is not a number")
                .contains("mphub.kafka.embedded.port (MPHUB_KAFKA_EMBEDDED_PORT): 'ninety' is not a whole number")
                .contains("fix: set requests per second")
                .contains("fix: set MPHUB_KAFKA_EMBEDDED_PORT to a whole number");
    }

    @Test
    void stepsAndOptionsCamelDoesNotKnowAreCamelsOwnRefusalsAtTheirLinesAndNoDestinationIsBlamed() throws Exception {
        Edit edit = edit("dispatch.camel.yaml", "- bean:", "- beann:");
        Path template = edit.routes().resolve("templates/deliver.camel.yaml");
        int option = TestRoutes.edit(template, "ref: delivery", "ref: delivery\n              methd: x") + 1;

        assertThat(refused(check(edit)))
                .contains("mphub check: 2 configuration problems:")
                .contains(edit.where() + ": Camel refuses it: Unknown node id: beann")
                .contains(template + ":" + option + ": Camel refuses it: Unsupported field: methd")
                .contains("fix: correct the step or option at that line");
    }

    @Test
    void eachWayOfBreakingADestinationFileIsNamedAtItsLine() throws Exception {
        Edit contract = edit("destinations/analytics.camel.yaml", "value: data.receiverPhone",
                "value: data.receiverPhon");
        Path routes = contract.routes();
        Path logistics = routes.resolve("destinations/logistics.camel.yaml");
        int template = TestRoutes.edit(logistics, "routeTemplateRef: deliver", "routeTemplateRef: deliverr");
        Path badName = routes.resolve("destinations/Customer Service.camel.yaml");
        Files.writeString(badName, Files.readString(routes.resolve("destinations/customer-service.camel.yaml"))
                .replace("customer-service", "Customer Service"));
        int named = TestRoutes.lineOf(badName, "value: Customer Service");
        int payment = TestRoutes.lineOf(routes.resolve("destinations/payment.camel.yaml"), "routeTemplateRef: deliver");

        assertThat(refused(check(Map.of("MPHUB_DESTINATIONS_PAYMENT_BATCH_MAX_EVENTS", "10"), "--routes",
                routes.toString())))
                .contains(contract.where() + ": mask: unknown field 'data.receiverPhon'")
                .contains("fix: use a field of the event contract (schemas/)")
                .contains(logistics + ":" + template + ": unknown delivery template 'deliverr'")
                .contains("fix: use routeTemplateRef: deliver (one event per request) or deliver-batch (batches)")
                .contains(badName + ":" + named + ": destination name 'Customer Service' is not allowed")
                .contains("fix: use lower-case letters, digits and '-' (it becomes a topic name)")
                .contains("mphub.destinations.payment.batch.max-events (MPHUB_DESTINATIONS_PAYMENT_BATCH_MAX_EVENTS):"
                        + " applies only to a destination that delivers in batches, and " + routes.resolve(
                                "destinations/payment.camel.yaml") + ":" + payment + " uses template deliver")
                .contains("fix: remove it, or use routeTemplateRef: deliver-batch");
    }

    @Test
    void anUnknownKindAndABadLineOfAProvidersFileAreNamed() throws Exception {
        Edit edit = edit("subscribe-messages.yaml", "thing2: \"{data.carrier}\"", "thing2: \"{data.carier}\"");

        assertThat(refused(check(Map.of("MPHUB_DESTINATIONS_NOTIFICATIONS_KIND", "wechat-subscribe-message",
                "MPHUB_DESTINATIONS_PAYMENT_KIND", "webhookz"), "--routes", edit.routes().toString())))
                .contains("mphub.destinations.payment.kind (MPHUB_DESTINATIONS_PAYMENT_KIND): unknown destination kind"
                        + " 'webhookz'")
                .contains("fix: use one of [kuaidi100, qiyu, segment, sensorsdata, tencent-ads, webhook,")
                .contains(edit.where() + ": placeholder {data.carier} in thing2 names nothing mp.order.shipped has")
                .contains("fix: correct the name (a data field is data.<field>)");
    }

    @Test
    void aMissingSecretsFileIsNamedWithItsVariable() throws Exception {
        Path missing = temp.resolve("no-such-secrets.properties");

        assertThat(refused(check(Map.of("MPHUB_SECRETS_FILE", missing.toString()))))
                .contains("MPHUB_SECRETS_FILE: the secrets file " + missing + " does not exist or cannot be read")
                .contains("fix: create it");
    }

    @Test
    void anUnknownOptionPrintsTheUsage() throws Exception {
        Run run = check(Map.of(), "--verbose");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("usage: java -jar mphub.jar check [--routes DIR]");
        assertThat(run.out()).isEmpty();
    }

    /** A copy of routes/ with one line of one file edited. */
    private record Edit(Path routes, Path file, int line) {
        String where() {
            return file + ":" + line;
        }
    }

    /** Copies routes/ and replaces {@code from} with {@code to} in the first line of {@code file} holding it. */
    private Edit edit(String file, String from, String to) throws IOException {
        Path routes = TestRoutes.copyInto(temp);
        Path edited = routes.resolve(file);
        return new Edit(routes, edited, TestRoutes.edit(edited, from, to));
    }

    /** What a check that found problems printed: exit code 2, every problem on standard output. */
    private static String refused(Run run) {
        assertThat(run.exit()).as(run.output()).isEqualTo(2);
        return run.out();
    }

    /** The check of an edited copy of routes/, named by --routes. */
    private Run check(Edit edit) throws IOException, InterruptedException {
        return check(Map.of(), "--routes", edit.routes().toString());
    }

    /** Runs {@code java -jar target/mphub.jar check args} with {@code env} and none of the caller's mphub settings. */
    private Run check(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return JarCommand.run(temp, env, "check", args);
    }

    private static String port(ServerSocket socket) {
        return String.valueOf(socket.getLocalPort());
    }
}
