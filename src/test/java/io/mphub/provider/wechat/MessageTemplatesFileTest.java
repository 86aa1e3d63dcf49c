package io.mphub.provider.wechat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.ConfigurationException.Problem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The templates file: the shipped one loads, and every mistake is reported at its file and line. */
class MessageTemplatesFileTest {

    private static final Set<String> APPS = Set.of("wx00000000000000a1", "wx00000000000000a2");
    private static EventFields fields;

    @TempDir
    Path dir;
    private final List<Problem> problems = new ArrayList<>();

    @BeforeAll
    static void contract() throws IOException {
        fields = EventFields.load(Path.of("schemas"), new ObjectMapper());
    }

    private Optional<MessageTemplates> load(String yaml) throws IOException {
        Path file = dir.resolve("subscribe-messages.yaml");
        Files.writeString(file, yaml);
        return MessageTemplatesFile.load(file, fields, APPS, problems);
    }

    private String at(int line) {
        return dir.resolve("subscribe-messages.yaml") + ":" + line;
    }

    @Test
    void shippedFileIsRefusedAtEachPlaceholderTemplateIdUntilTheUserSetsTheirs() throws IOException {
        Path shipped = Path.of("routes/subscribe-messages.yaml");
        List<String> lines = Files.readAllLines(shipped);
        Optional<MessageTemplates> templates = MessageTemplatesFile.load(shipped, fields, APPS, problems);
        assertThat(templates).isEmpty();
        assertThat(problems).extracting(Problem::where).containsExactly(
                shipped + ":" + (lines.indexOf("    template_id: \"REPLACE-WITH-YOUR-SHIPPED-TEMPLATE-ID\"") + 1),
                shipped + ":" + (lines.indexOf("    template_id: \"REPLACE-WITH-YOUR-LOGISTICS-TEMPLATE-ID\"") + 1));
        assertThat(problems).allSatisfy(p -> {
            assertThat(p.where()).doesNotEndWith(":0");
            assertThat(p.what()).contains("still the shipped placeholder 'REPLACE-WITH-YOUR-");
            assertThat(p.fix()).contains("set your template id from the mini program's admin console");
        });
        assertThat(problems.get(0).what()).contains("mp.order.shipped");
        assertThat(problems.get(1).what()).contains("mp.logistics.updated");
    }

    @Test
    void shippedFileLoadsWithBothEventTypesOnceItsTemplateIdsAreSet() throws IOException {
        MessageTemplates templates = load(Files.readString(Path.of("routes/subscribe-messages.yaml"))
                .replace("REPLACE-WITH-YOUR-SHIPPED-TEMPLATE-ID", "T-SHIPPED")
                .replace("REPLACE-WITH-YOUR-LOGISTICS-TEMPLATE-ID", "T-LOGISTICS")).orElseThrow();
        assertThat(problems).isEmpty();
        assertThat(templates.byType()).containsOnlyKeys("mp.order.shipped", "mp.logistics.updated");
        MessageTemplate shipped = templates.forType("mp.order.shipped").orElseThrow();
        assertThat(shipped.templateIdFor("wx00000000000000a1")).contains("T-SHIPPED");
        assertThat(shipped.data()).containsOnlyKeys("character_string1", "thing2", "character_string3", "time4");
        assertThat(shipped.miniprogramState()).isEqualTo("formal");
        assertThat(shipped.lang()).isEqualTo("zh_CN");
    }

    @Test
    void placeholderTemplateIdOfOneAppIsRefusedAtItsLine() throws IOException {
        Optional<MessageTemplates> templates = load("""
                templates:
                  mp.order.shipped:
                    template_id:
                      wx00000000000000a1: "T-A1"
                      wx00000000000000a2: "REPLACE-WITH-YOUR-TEMPLATE-ID"
                    data:
                      thing1: "{data.carrier}"
                """);
        assertThat(templates).isEmpty();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(at(5));
            assertThat(p.what()).contains("mp.order.shipped").contains("'REPLACE-WITH-YOUR-TEMPLATE-ID'");
        });
    }

    @Test
    void validFileWithPerAppIdsDefaultsAndOverrides() throws IOException {
        MessageTemplates templates = load("""
                defaults:
                  miniprogram_state: trial
                templates:
                  mp.order.shipped:
                    template_id:
                      wx00000000000000a1: "T-A1"
                      wx00000000000000a2: "T-A2"
                    lang: en_US
                    data:
                      thing1: "{data.carrier}"
                      phrase2: "已发货"
                """).orElseThrow();
        MessageTemplate t = templates.forType("mp.order.shipped").orElseThrow();
        assertThat(t.templateIdFor("wx00000000000000a2")).contains("T-A2");
        assertThat(t.miniprogramState()).isEqualTo("trial");
        assertThat(t.lang()).isEqualTo("en_US");
        assertThat(t.page()).isNull();
        assertThat(templates.forType("mp.order.paid")).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtItsLine() throws IOException {
        Optional<MessageTemplates> templates = load("""
                templates:
                  mp.order.shiped:
                    template_id: "T1"
                    data:
                      thing1: "{data.carrier}"
                  mp.order.shipped:
                    page: "pages/x?id={data.orderID}"
                    data:
                      thing1: "{data.carrier}"
                      thing.2: "{time}"
                      character_string3: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                      time4: "{data.shippedAt"
                    lang: fr_FR
                  mp.logistics.updated:
                    template_id:
                      wx00000000000000ff: "T9"
                    data:
                      thing1: "{data.latest.context}"
                      thing2: "{data.checkpoints}"
                    colour: blue
                """);
        assertThat(templates).isEmpty();
        assertThat(problems).extracting(Problem::where).containsExactly(at(2), at(6), at(7), at(10), at(11), at(12),
                at(13), at(16), at(19), at(20));
        assertThat(problems.get(0).what()).contains("unknown event type 'mp.order.shiped'").contains("mp.order.shipped");
        assertThat(problems).extracting(Problem::what).anySatisfy(w -> assertThat(w).contains("has no template_id"))
                .anySatisfy(w -> assertThat(w).contains("placeholder {data.orderID}").contains("data.orderId"))
                .anySatisfy(w -> assertThat(w).contains("'thing.2' is not a WeChat template key"))
                .anySatisfy(w -> assertThat(w).startsWith("character_string3 must be"))
                .anySatisfy(w -> assertThat(w).contains("not closed"))
                .anySatisfy(w -> assertThat(w).contains("lang 'fr_FR'"))
                .anySatisfy(w -> assertThat(w).contains("app 'wx00000000000000ff'"))
                .anySatisfy(w -> assertThat(w).contains("placeholder {data.checkpoints}"))
                .anySatisfy(w -> assertThat(w).contains("unknown key 'colour'"));
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
    }

    @Test
    void templateWithoutDataIsRefused() throws IOException {
        load("""
                templates:
                  mp.order.shipped:
                    template_id: "T1"
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(at(2));
            assertThat(p.what()).contains("has no data");
        });
    }

    @Test
    void malformedYamlIsReportedAtItsLine() throws IOException {
        load("""
                templates:
                  mp.order.shipped:
                    template_id: "T1"
                     data: x
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(at(4));
            assertThat(p.what()).startsWith("malformed YAML");
        });
    }

    @Test
    void missingFileNamesTheSetting() {
        MessageTemplatesFile.load(dir.resolve("none.yaml"), fields, APPS, problems);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.what()).contains("does not exist");
            assertThat(p.fix()).contains("MPHUB_WECHAT_SUBSCRIBE_MESSAGES");
        });
    }
}
