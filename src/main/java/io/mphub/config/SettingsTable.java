package io.mphub.config;

import java.util.List;

/**
 * The settings table of the documentation, generated from the declarations ({@link Setting}), so that no page keeps
 * a copy of its own: docs/configuration.md holds what this writes, and a test fails when the two differ.
 */
public final class SettingsTable {

    /** One capability's settings under a heading. */
    public record Section(String title, String intro, List<Setting<?>> settings) {
    }

    private SettingsTable() {
    }

    public static String markdown(List<Section> sections) {
        StringBuilder out = new StringBuilder();
        for (Section section : sections) {
            out.append("### ").append(section.title()).append("\n\n");
            if (!section.intro().isBlank()) {
                out.append(section.intro().strip()).append("\n\n");
            }
            out.append("| property | environment variable | default | what it is |\n");
            out.append("|---|---|---|---|\n");
            for (Setting<?> s : section.settings()) {
                out.append("| `").append(s.key()).append("` | `").append(s.envName()).append("` | ")
                        .append(defaultCell(s)).append(" | ").append(cell(s.description())).append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String defaultCell(Setting<?> s) {
        if (s.isSecret()) {
            return "secret: environment or secrets file only";
        }
        if (s.defaultValue() != null) {
            String text = s.defaultText();
            return text.isEmpty() ? "*(empty)*" : "`" + text + "`";
        }
        return "*(none)*";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
