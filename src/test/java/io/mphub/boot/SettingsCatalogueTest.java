package io.mphub.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.config.SettingsTable;
import org.junit.jupiter.api.Test;

/**
 * Each setting is declared once, in Java: application.properties (the operator's commented copy) and the settings
 * table of docs/configuration.md are held to the declarations. Run with {@code -Dmphub.docs.write=true} to rewrite
 * the table after changing a declaration.
 */
class SettingsCatalogueTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path DOCS = Path.of("docs/configuration.md");
    private static final String BEGIN = "<!-- settings table: generated from the declarations by SettingsCatalogueTest;"
            + " do not edit -->\n";
    private static final String END = "<!-- end of settings table -->";
    /** An active line ("key=value") or a commented example ("#key=value", "# key=value"). */
    private static final Pattern LINE = Pattern.compile("^(#\\s?)?([a-z][a-z0-9.<>-]*[a-z0-9])=(.*)$");

    private record Line(int number, boolean commented, String value) {
    }

    private static Map<String, Line> properties() throws IOException {
        Map<String, Line> lines = new LinkedHashMap<>();
        List<String> all = Files.readAllLines(PROPERTIES);
        for (int i = 0; i < all.size(); i++) {
            Matcher m = LINE.matcher(all.get(i));
            if (m.matches()) {
                Line before = lines.put(m.group(2), new Line(i + 1, m.group(1) != null, m.group(3).trim()));
                assertThat(before).as(m.group(2) + " is written twice in " + PROPERTIES).isNull();
            }
        }
        return lines;
    }

    @Test
    void everySettingIsDeclaredOnceAndDescribed() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> s : SettingsCatalogue.all()) {
            assertThat(keys.add(s.key())).as(s.key() + " is declared twice").isTrue();
            assertThat(s.description()).as(s.key() + " says what it is for").isNotBlank();
        }
    }

    @Test
    void applicationPropertiesWritesEveryDeclaredSettingWithItsDeclaredDefault() throws IOException {
        Map<String, Line> file = properties();
        List<String> wrong = new ArrayList<>();
        for (Setting<?> s : SettingsCatalogue.all()) {
            if (s.key().contains(Setting.NAME)) {
                continue; // per destination or app: described in the file's comments, set per name
            }
            Line line = file.get(s.key());
            if (line == null) {
                wrong.add(s.key() + " is missing");
            } else if (s.isSecret() && !line.commented()) {
                wrong.add(PROPERTIES + ":" + line.number() + " sets secret " + s.key() + ", which belongs in the"
                        + " environment or the secrets file");
            } else if (!line.commented() && !sameValue(s, line.value())) {
                wrong.add(PROPERTIES + ":" + line.number() + " " + s.key() + "=" + line.value() + ", but its declared"
                        + " default is '" + s.defaultText() + "'");
            } else if (line.commented() && s.defaultValue() != null) {
                wrong.add(PROPERTIES + ":" + line.number() + " comments out " + s.key() + ", which has a default: write"
                        + " it as " + s.key() + "=" + s.defaultText());
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean sameValue(Setting<?> s, String value) {
        if (value.isEmpty()) {
            return s.defaultValue() == null || s.defaultText().isEmpty();
        }
        List<Problem> problems = new ArrayList<>();
        Object read = new Settings(key -> Optional.of(value)).reader(problems).get(s);
        return problems.isEmpty() && read.equals(s.defaultValue());
    }

    @Test
    void applicationPropertiesSetsNothingThatIsNotDeclared() throws IOException {
        Set<String> declared = new HashSet<>();
        SettingsCatalogue.all().forEach(s -> declared.add(s.key()));
        assertThat(properties().entrySet()).filteredOn(e -> !e.getValue().commented())
                .extracting(Map.Entry::getKey).allSatisfy(key -> assertThat(declared).as(key).contains(key));
    }

    @Test
    void configurationPageHoldsTheTableGeneratedFromTheDeclarations() throws IOException {
        String page = Files.readString(DOCS);
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        assertThat(begin).as(DOCS + " has the generated table's markers").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String table = SettingsTable.markdown(SettingsCatalogue.sections());
        if (Boolean.getBoolean("mphub.docs.write")) {
            Files.writeString(DOCS, page.substring(0, begin + BEGIN.length()) + "\n" + table + page.substring(end));
            page = Files.readString(DOCS);
            end = page.indexOf(END);
        }
        assertThat(page.substring(begin + BEGIN.length(), end)).as("the settings table of " + DOCS + "; rewrite it with"
                + " mvn test -Dtest=SettingsCatalogueTest -Dmphub.docs.write=true").isEqualTo("\n" + table);
    }
}
