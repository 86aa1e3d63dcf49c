package io.mphub.config;

import java.util.List;
import java.util.stream.Collectors;

/** Bad configuration: stops start-up with every problem found, each naming where it is and how to fix it. */
public class ConfigurationException extends RuntimeException {

    /** One problem: where (a file, with a line when known, or a property), what is wrong, and the fix. */
    public record Problem(String where, String what, String fix) {
        @Override
        public String toString() {
            return where + ": " + what + "\n      fix: " + fix;
        }

        /** A problem with one property, named with the environment variable that overrides it. */
        public static Problem setting(String key, String what, String fix) {
            return new Problem(key + " (" + Settings.envName(key) + ")", what, fix);
        }
    }

    private final List<Problem> problems;

    public ConfigurationException(List<Problem> problems) {
        super(problems.size() + " configuration problem" + (problems.size() == 1 ? "" : "s") + ":\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
